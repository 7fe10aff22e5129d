/**
 * The simulated world: {@link dev.parigot.sim.kernel.Sim} and its configuration, the guest
 * modules and Java services that run in it, what a run leaves behind (trace, failure, log), and
 * the checks built on runs (determinism, forks). Only {@code dev.parigot.sim.kernel} is exported
 * to everyone; {@code dev.parigot.sim.kernel.internal} (boot's dependency checks before a world
 * exists) to the deployment manifest alone.
 * The world behind it lives in {@code dev.parigot.sim.kernel.internal.*} (world, guest, javanode,
 * storage, node, supervision; see docs/architecture.md), which no one outside the module reads;
 * the storage service's protobuf messages are opened to protobuf alone.
 */
module dev.parigot.sim.kernel {
    requires transitive dev.parigot.sim.faults;
    requires transitive dev.parigot.sim.scheduler;
    requires transitive com.google.protobuf;
    requires com.dylibso.chicory.compiler;
    requires com.dylibso.chicory.runtime;
    requires com.dylibso.chicory.wasm;
    requires org.slf4j;
    // The once-per-JVM hint about interpreted large guest functions; without HotSpot's bean it says nothing.
    requires java.management;
    requires static jdk.management;

    exports dev.parigot.sim.kernel;
    // Boot's dependency checks before a world exists, for the deployment manifest (docs/deploy.md).
    exports dev.parigot.sim.kernel.internal to dev.parigot.sim.manifest;
    // The storage service's messages, for the engine's timelines (they decode storage payloads).
    exports dev.parigot.sim.kernel.storage.v1 to dev.parigot.sim.junit;

    opens dev.parigot.sim.kernel.storage.v1 to com.google.protobuf;
}
