package dev.rnn4j.data.report;

import java.util.Map;

/**
 * The task views a report draws from a log's task lines, by their {@code "event"}: {@link ForecastView},
 * {@link ClassificationView}, {@link LanguageModelView} and {@link InspectionView} (a model, and one sequence's states). A line of another kind (the
 * report's title, a future task's view) draws nothing.
 */
final class TaskViews {
    private TaskViews() {}

    static boolean known(Map<String, Object> line) {
        return switch (String.valueOf(line.get("event"))) {
            case ForecastView.EVENT, ClassificationView.EVENT, LanguageModelView.EVENT, InspectionView.EVENT, InspectionView.EXAMPLE -> true;
            default -> false;
        };
    }

    static void addTo(ReportPage page, Map<String, Object> line) {
        switch (String.valueOf(line.get("event"))) {
            case ForecastView.EVENT -> ForecastView.addTo(page, line);
            case ClassificationView.EVENT -> ClassificationView.addTo(page, line);
            case LanguageModelView.EVENT -> LanguageModelView.addTo(page, line);
            case InspectionView.EVENT, InspectionView.EXAMPLE -> InspectionView.addTo(page, line);
            default -> { }
        }
    }
}
