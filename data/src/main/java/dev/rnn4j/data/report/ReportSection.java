package dev.rnn4j.data.report;

/** A part of a report that a task adds after the training sections: its predictions, its errors, its samples. */
@FunctionalInterface
public interface ReportSection {
    void addTo(ReportPage page);
}
