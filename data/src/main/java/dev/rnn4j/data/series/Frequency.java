package dev.rnn4j.data.series;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * How often a time series is observed, as far as forecasting needs it: the seasonal period a seasonal-naive
 * baseline compares against, and how to step past the last observation.
 *
 * <p>{@link #NONE} means there is no time column, or the spacing matches none of the others.
 */
public enum Frequency {
    HOURLY(24),
    DAILY(7),
    WEEKLY(52),
    MONTHLY(12),
    QUARTERLY(4),
    YEARLY(1),
    NONE(1);

    private static final long HOUR = 3_600;
    private static final long DAY = 24 * HOUR;

    private final int seasonalPeriod;

    Frequency(int seasonalPeriod) {
        this.seasonalPeriod = seasonalPeriod;
    }

    /** Observations per season: 24 hours a day, 7 days a week, 52 weeks, 12 months, 4 quarters a year; 1 otherwise. */
    public int seasonalPeriod() {
        return seasonalPeriod;
    }

    /**
     * The frequency whose step matches the median spacing of {@code times}, with the tolerance calendars need
     * (a month is 28 to 31 days, a quarter 89 to 92, a year 365 or 366). The median makes gaps such as weekends
     * between trading days, or a missing day, irrelevant. Fewer than two times, or a median matching nothing,
     * give {@link #NONE}. The times are expected in increasing order.
     */
    public static Frequency infer(LocalDateTime[] times) {
        if (times == null || times.length < 2) return NONE;
        long[] gaps = new long[times.length - 1];
        for (int i = 1; i < times.length; i++) gaps[i - 1] = Duration.between(times[i - 1], times[i]).toSeconds();
        Arrays.sort(gaps);
        // the lower median: with an even count of gaps, a real observed spacing rather than an average of two
        long median = gaps[(gaps.length - 1) / 2];
        if (within(median, 55 * 60, 65 * 60)) return HOURLY;
        if (within(median, 23 * HOUR, 25 * HOUR)) return DAILY;
        if (within(median, 6 * DAY, 8 * DAY)) return WEEKLY;
        if (within(median, 28 * DAY, 31 * DAY)) return MONTHLY;
        if (within(median, 89 * DAY, 92 * DAY)) return QUARTERLY;
        if (within(median, 365 * DAY, 366 * DAY)) return YEARLY;
        return NONE;
    }

    private static boolean within(long seconds, long low, long high) {
        return seconds >= low && seconds <= high;
    }

    /**
     * The time {@code steps} periods after {@code time} (before it when negative), on the calendar: months by
     * {@link LocalDateTime#plusMonths}, so 31 January plus one month is the last day of February.
     *
     * @throws IllegalStateException for {@link #NONE}, which has no step
     */
    public LocalDateTime plus(LocalDateTime time, long steps) {
        return switch (this) {
            case HOURLY -> time.plusHours(steps);
            case DAILY -> time.plusDays(steps);
            case WEEKLY -> time.plusWeeks(steps);
            case MONTHLY -> time.plusMonths(steps);
            case QUARTERLY -> time.plusMonths(Math.multiplyExact(steps, 3));
            case YEARLY -> time.plusYears(steps);
            case NONE -> throw new IllegalStateException("a series without a regular frequency has no next time");
        };
    }
}
