package dev.parigot.sim.kernel;

import java.nio.charset.StandardCharsets;

/**
 * An interned (service, method) pair with its UTF-8 bytes, built once per world per distinct pair
 * so that delivering a call copies bytes instead of encoding strings.
 */
final class Route {
    static final Route NONE = new Route(-1, "", "");

    final int id;
    final String service;
    final String method;
    final String label;
    final byte[] serviceBytes;
    final byte[] methodBytes;

    Route(int id, String service, String method) {
        this.id = id;
        this.service = service;
        this.method = method;
        this.label = service.isEmpty() ? method : service + "/" + method;
        this.serviceBytes = service.getBytes(StandardCharsets.UTF_8);
        this.methodBytes = method.getBytes(StandardCharsets.UTF_8);
    }
}
