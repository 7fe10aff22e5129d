package dev.parigot.sim.kernel.internal.node;

import java.nio.charset.StandardCharsets;

/**
 * An interned (service, method) pair with its UTF-8 bytes, built once per world per distinct pair
 * so that delivering a call copies bytes instead of encoding strings.
 */
public final class Route {
    public static final Route NONE = new Route(-1, "", "");

    public final int id;
    public final String service;
    public final String method;
    public final String label;
    public final byte[] serviceBytes;
    public final byte[] methodBytes;

    public Route(int id, String service, String method) {
        this.id = id;
        this.service = service;
        this.method = method;
        this.label = service.isEmpty() ? method : service + "/" + method;
        this.serviceBytes = service.getBytes(StandardCharsets.UTF_8);
        this.methodBytes = method.getBytes(StandardCharsets.UTF_8);
    }
}
