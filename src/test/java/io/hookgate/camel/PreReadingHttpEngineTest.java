package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

class PreReadingHttpEngineTest {

    /** The engine reads bodies ahead for exactly the shipped routes that begin with a ReadRequest. */
    @Test
    void shouldKnowEveryRouteThatBeginsByReadingItsRequest() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            var resources = PluginHelper.getResourceLoader(context);
            var shipped = PluginHelper.getPackageScanResourceResolver(context)
                    .findResources("file:routes/*.camel.yaml");
            assertFalse(shipped.isEmpty(), "the routes are found");
            for (Resource resource : shipped) {
                PluginHelper.getRoutesLoader(context).loadRoutes(resources.resolveResource(resource.getLocation()));
            }
            Set<String> reading = context.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                    .getRouteDefinitions().stream()
                    .filter(PreReadingHttpEngineTest::beginsByReadingItsRequest)
                    .map(RouteDefinition::getRouteId)
                    .collect(Collectors.toSet());

            assertEquals(PreReadingHttpEngine.RECEIVING_ROUTES, reading);
        }
    }

    /** The first step that processes (not an onException its route configuration gives it) reads the request. */
    private static boolean beginsByReadingItsRequest(RouteDefinition route) {
        return route.getOutputs().stream().filter(step -> !step.isAbstract()).findFirst()
                .filter(first -> first instanceof ProcessDefinition process
                        && process.getRef() != null
                        && process.getRef().matches("read[A-Z]\\w*Request"))
                .isPresent();
    }
}
