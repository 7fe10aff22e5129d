/**
 * What a run leaves behind, as data and pages: the HTML timeline of one run
 * ({@link dev.parigot.sim.reports.html.Timeline}, {@link dev.parigot.sim.reports.html.TimelineHtml})
 * with payloads decoded from protobuf descriptors ({@link dev.parigot.sim.reports.html.PayloadDecoder}).
 */
module dev.parigot.sim.reports {
    requires transitive dev.parigot.sim.kernel;
    requires com.fasterxml.jackson.databind;

    exports dev.parigot.sim.reports.html;

    // The timeline's records are written as JSON by reflection.
    opens dev.parigot.sim.reports.html to com.fasterxml.jackson.databind;
}
