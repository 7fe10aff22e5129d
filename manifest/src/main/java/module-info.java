/**
 * The deployment manifest: one YAML file naming an application's nodes (module, name,
 * environment, arguments, replicas) and grouping them into units, the nodes that will share one
 * OS process. {@link dev.parigot.sim.manifest.Manifest} reads and checks it before anything
 * starts, and adds its nodes to a simulated world; the network runner will read the same file.
 * The format is docs/deploy.md.
 */
module dev.parigot.sim.manifest {
    requires transitive dev.parigot.sim.kernel;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports dev.parigot.sim.manifest;

    // The file's records are filled by reflection.
    opens dev.parigot.sim.manifest to com.fasterxml.jackson.databind;
}
