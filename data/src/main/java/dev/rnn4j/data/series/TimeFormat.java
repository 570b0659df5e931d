package dev.rnn4j.data.series;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;

/**
 * How the values of a time column are written: parses them to {@link LocalDateTime} and writes times back in the
 * same style, so forecasts past the end of a file print like the file ({@code 1961-01} after {@code 1960-12}).
 *
 * <p>Built-in formats, tried in this order when the user gives none ({@link #BUILT_IN}):
 * {@code yyyy-MM-dd'T'HH:mm[:ss]}, {@code yyyy-MM-dd HH:mm[:ss]}, {@code yyyy-MM-dd}, {@code yyyy-MM},
 * {@code yyyy/MM/dd}, {@code dd-MM-yy}, {@code dd-MM-yyyy}, {@code dd/MM/yyyy}, {@code yyyy}, and integer Unix
 * times in seconds (10 digits) or milliseconds (13 digits), read as UTC. Dates are checked strictly (no 30
 * February). Two-digit years pivot at 1970: 70-99 are 1970-1999, 00-69 are 2000-2069. Formats without a day
 * give the first of the month (or of January); formats without a time of day give midnight.
 *
 * <p>An explicit pattern ({@link #ofPattern}) is a {@link DateTimeFormatter} pattern with {@link Locale#ROOT}
 * and the same strict, midnight and first-of-month rules; {@code yy} there follows java.time (2000-2099).
 */
public final class TimeFormat {
    private enum Kind { PATTERN, EPOCH_SECONDS, EPOCH_MILLIS }

    /** The built-in formats in the order detection tries them. */
    static final List<TimeFormat> BUILT_IN = List.of(
            withOptionalSeconds("yyyy-MM-dd'T'HH:mm", "uuuu-MM-dd'T'HH:mm"),
            withOptionalSeconds("yyyy-MM-dd HH:mm", "uuuu-MM-dd HH:mm"),
            builtIn("yyyy-MM-dd", new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd")),
            builtIn("yyyy-MM", new DateTimeFormatterBuilder().appendPattern("uuuu-MM")),
            builtIn("yyyy/MM/dd", new DateTimeFormatterBuilder().appendPattern("uuuu/MM/dd")),
            builtIn("dd-MM-yy", new DateTimeFormatterBuilder().appendPattern("dd-MM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)),
            builtIn("dd-MM-yyyy", new DateTimeFormatterBuilder().appendPattern("dd-MM-uuuu")),
            builtIn("dd/MM/yyyy", new DateTimeFormatterBuilder().appendPattern("dd/MM/uuuu")),
            builtIn("yyyy", new DateTimeFormatterBuilder().appendValue(ChronoField.YEAR, 4)),
            new TimeFormat("Unix seconds (10 digits)", Kind.EPOCH_SECONDS, null, null),
            new TimeFormat("Unix milliseconds (13 digits)", Kind.EPOCH_MILLIS, null, null));

    private final String pattern;
    private final Kind kind;
    private final DateTimeFormatter parser;
    private final DateTimeFormatter printer;

    private TimeFormat(String pattern, Kind kind, DateTimeFormatter parser, DateTimeFormatter printer) {
        this.pattern = pattern;
        this.kind = kind;
        this.parser = parser;
        this.printer = printer;
    }

    /**
     * A user-given {@link DateTimeFormatter} pattern, used alone (no detection). The {@link #pattern()} of any
     * format, built-in ones included ({@code dd-MM-yy} with its 1970 pivot, {@code Unix seconds (10 digits)}),
     * gives that format back, so a saved pattern reads and writes times as the detected format did.
     *
     * @throws IllegalArgumentException if the pattern is not a valid pattern
     */
    public static TimeFormat ofPattern(String pattern) {
        for (TimeFormat builtIn : BUILT_IN) if (builtIn.pattern.equals(pattern)) return builtIn;
        // STRICT rejects 30 February; a defaulted era lets 'yyyy' (year of era) resolve under STRICT
        DateTimeFormatter formatter = new DateTimeFormatterBuilder().appendPattern(pattern)
                .parseDefaulting(ChronoField.ERA, 1)
                .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
        return new TimeFormat(pattern, Kind.PATTERN, formatter, formatter);
    }

    private static TimeFormat builtIn(String name, DateTimeFormatterBuilder builder) {
        DateTimeFormatter formatter = builder.toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
        return new TimeFormat(name, Kind.PATTERN, formatter, formatter);
    }

    /** Parses with or without seconds; prints without them until {@link #styledLike} sees a value that has them. */
    private static TimeFormat withOptionalSeconds(String name, String minutesPattern) {
        DateTimeFormatter parser = new DateTimeFormatterBuilder().appendPattern(minutesPattern + "[:ss]")
                .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
        DateTimeFormatter printer = DateTimeFormatter.ofPattern(minutesPattern, Locale.ROOT);
        return new TimeFormat(name + "[:ss]", Kind.PATTERN, parser, printer);
    }

    /**
     * This format, printing in the style of {@code sample}: the formats with optional seconds become the concrete
     * pattern with or without seconds, as the sample has them (still parsing both). Other formats print only one
     * way and come back unchanged.
     */
    TimeFormat styledLike(String sample) {
        if (!pattern.endsWith("[:ss]")) return this;
        boolean seconds = sample.trim().length() > "yyyy-MM-dd HH:mm".length();
        String minutes = pattern.substring(0, pattern.length() - "[:ss]".length());
        String concrete = seconds ? minutes + ":ss" : minutes;
        DateTimeFormatter printer = DateTimeFormatter.ofPattern(concrete.replace("yyyy", "uuuu"), Locale.ROOT);
        return new TimeFormat(concrete, kind, parser, printer);
    }

    /** True for formats that are bare integers (years, Unix times), which plain numeric columns also look like. */
    boolean bareInteger() {
        return kind != Kind.PATTERN || pattern.equals("yyyy");
    }

    /** The pattern as shown to the user, for example {@code yyyy-MM} or {@code Unix seconds (10 digits)}. */
    public String pattern() {
        return pattern;
    }

    /**
     * @throws DateTimeParseException if {@code text} (trimmed) is not a time in this format
     */
    public LocalDateTime parse(String text) {
        String value = text.trim();
        return switch (kind) {
            case EPOCH_SECONDS -> LocalDateTime.ofEpochSecond(epochDigits(value, 10), 0, ZoneOffset.UTC);
            case EPOCH_MILLIS -> LocalDateTime.ofInstant(Instant.ofEpochMilli(epochDigits(value, 13)), ZoneOffset.UTC);
            case PATTERN -> toLocalDateTime(value, parser.parse(value));
        };
    }

    private static long epochDigits(String value, int digits) {
        if (value.length() != digits || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DateTimeParseException(
                    String.format(Locale.ROOT, "'%s' is not a %d-digit Unix time", value, digits), value, 0);
        }
        return Long.parseLong(value);
    }

    private LocalDateTime toLocalDateTime(String value, TemporalAccessor parsed) {
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            if (!parsed.isSupported(ChronoField.YEAR)) {
                throw new DateTimeParseException("pattern '" + pattern + "' gives no year", value, 0);
            }
            int month = parsed.isSupported(ChronoField.MONTH_OF_YEAR) ? parsed.get(ChronoField.MONTH_OF_YEAR) : 1;
            date = LocalDate.of(parsed.get(ChronoField.YEAR), month, 1);
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        return date.atTime(time == null ? LocalTime.MIDNIGHT : time);
    }

    /**
     * Writes {@code time} in this format's style.
     *
     * @throws DateTimeException if the format cannot express the time (a pattern with a time zone, say)
     */
    public String format(LocalDateTime time) {
        return switch (kind) {
            case EPOCH_SECONDS -> Long.toString(time.toEpochSecond(ZoneOffset.UTC));
            case EPOCH_MILLIS -> Long.toString(time.toInstant(ZoneOffset.UTC).toEpochMilli());
            case PATTERN -> printer.format(time);
        };
    }

    @Override
    public String toString() {
        return pattern;
    }
}
