/**
 * What a simulation test method's run leaves behind: the report model
 * ({@link dev.parigot.sim.reports.MethodReport} and its parts), its JSON (written and read by
 * {@link dev.parigot.sim.reports.ReportJson}, described by {@code report-1.schema.json} beside
 * it), the merge of a sharded sweep's reports ({@link dev.parigot.sim.reports.ShardMerge},
 * {@link dev.parigot.sim.reports.MergeShards} on the command line), and the HTML timeline of one
 * run ({@link dev.parigot.sim.reports.html.Timeline}, {@link dev.parigot.sim.reports.html.TimelineHtml})
 * with payloads decoded from protobuf descriptors ({@link dev.parigot.sim.reports.html.PayloadDecoder}).
 */
module dev.parigot.sim.reports {
    requires transitive dev.parigot.sim.kernel;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;

    exports dev.parigot.sim.reports;
    exports dev.parigot.sim.reports.html;

    // Records are written and read by reflection; the command line's options are set by it.
    opens dev.parigot.sim.reports to com.fasterxml.jackson.databind, info.picocli;
    opens dev.parigot.sim.reports.html to com.fasterxml.jackson.databind;
}
