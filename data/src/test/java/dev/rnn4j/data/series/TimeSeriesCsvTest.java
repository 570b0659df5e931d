package dev.rnn4j.data.series;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.series.TimeSeriesCsv.MissingValues;
import dev.rnn4j.data.series.TimeSeriesCsv.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TimeSeriesCsv on small files that each carry one quirk or one error. */
class TimeSeriesCsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static TimeSeries read(Path file, String target) {
        return TimeSeriesCsv.read(file, Options.target(target));
    }

    /** Reads and expects a DataFileException whose message contains every one of {@code parts}. */
    private static DataFileException failure(Path file, Options options, String... parts) {
        DataFileException e = assertThrows(DataFileException.class, () -> TimeSeriesCsv.read(file, options));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
        return e;
    }

    private static final String MONTHS = "Month,Passengers\n1949-01,112\n1949-02,118\n1949-03,132\n";

    @Test
    void readsAMonthlySeriesWithItsTimes() throws IOException {
        TimeSeries series = read(write("air.csv", MONTHS), "Passengers");
        assertEquals(3, series.length());
        assertArrayEquals(new double[] {112, 118, 132}, series.target());
        assertEquals("Month", series.timeColumn());
        assertEquals(Frequency.MONTHLY, series.frequency());
        assertEquals("yyyy-MM", series.timeFormat().pattern());
        assertArrayEquals(new String[] {"1949-01", "1949-02", "1949-03"}, series.timeLabels());
        assertEquals(LocalDateTime.of(1949, 2, 1, 0, 0), series.times()[1]);
        assertArrayEquals(new int[] {2, 3, 4}, series.lines());
        assertEquals("1949-04", series.timeFormat().format(series.frequency().plus(series.times()[2], 1)));
        assertEquals(0, series.droppedRows());
        assertEquals(List.of("Passengers"), series.columns());
    }

    @Test
    void crlfLfMissingFinalNewlineAndTrailingBlankLinesGiveTheSameSeries() throws IOException {
        TimeSeries lf = read(write("lf.csv", MONTHS), "Passengers");
        TimeSeries crlf = read(write("crlf.csv", MONTHS.replace("\n", "\r\n")), "Passengers");
        TimeSeries unterminated = read(write("end.csv", MONTHS.strip()), "Passengers");
        TimeSeries blankTail = read(write("blank.csv", MONTHS + "\n\r\n  \n"), "Passengers");
        for (TimeSeries other : List.of(crlf, unterminated, blankTail)) {
            assertArrayEquals(lf.target(), other.target());
            assertArrayEquals(lf.timeLabels(), other.timeLabels());
            assertArrayEquals(lf.lines(), other.lines());
            assertEquals(lf.sha256(), other.sha256());
        }
        assertEquals(64, lf.sha256().length());
    }

    @Test
    void shaChangesWithTheValues() throws IOException {
        TimeSeries one = read(write("a.csv", MONTHS), "Passengers");
        TimeSeries other = read(write("b.csv", MONTHS.replace("132", "133")), "Passengers");
        assertNotEquals(one.sha256(), other.sha256());
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        String text = """
                "Date","Note","Sales"
                "2020-01-01","Smith, John",1.5
                "2020-01-02","said ""hi""
                on two lines", "2,5"
                "2020-01-03","x",  3 \n""".replace("\"2,5\"", "2.5");
        TimeSeries series = read(write("q.csv", text), "Sales");
        assertArrayEquals(new double[] {1.5, 2.5, 3}, series.target());
        assertArrayEquals(new int[] {2, 3, 5}, series.lines());
        assertEquals(Frequency.DAILY, series.frequency());
    }

    @Test
    void aNumberWithAThousandsCommaIsNotANumber() throws IOException {
        failure(write("t.csv", "Date,Sales\n2020-01-01,\"1,500\"\n2020-01-02,7\n"), Options.target("Sales"),
                "line 2, column 'Sales': '1,500' is not a number");
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        byte[] body = MONTHS.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        TimeSeries series = read(write("bom.csv", withBom), "Passengers");
        assertEquals("Month", series.timeColumn());
        assertEquals(read(write("plain.csv", body), "Passengers").sha256(), series.sha256());
    }

    @Test
    void featuresFollowTheTargetInTheOrderAsked() throws IOException {
        Path file = write("f.csv", "a,b,c,date\n1,2,3,2020-01-01\n4,5,6,2020-01-02\n");
        TimeSeries series = TimeSeriesCsv.read(file, Options.target("b").withFeatures(List.of("c", "a")));
        assertEquals(List.of("b", "c", "a"), series.columns());
        assertArrayEquals(new double[] {2, 5}, series.values(0));
        assertArrayEquals(new double[] {3, 6}, series.values(1));
        assertArrayEquals(new double[] {1, 4}, series.values(2));
        assertEquals("date", series.timeColumn());
    }

    @Test
    void withoutATimeColumnTheLabelsAreRowNumbers() throws IOException {
        TimeSeries series = read(write("n.csv", "id,value\n17,1.5\n18,2.5\n19,-3e2\n"), "value");
        assertNull(series.timeColumn());
        assertNull(series.times());
        assertNull(series.timeFormat());
        assertEquals(Frequency.NONE, series.frequency());
        assertArrayEquals(new String[] {"1", "2", "3"}, series.timeLabels());
        assertArrayEquals(new double[] {1.5, 2.5, -300}, series.target());
    }

    @Test
    void anUnnamedColumnOfDatesIsFoundByItsValues() throws IOException {
        TimeSeries series = read(write("v.csv", "when,x\n2020-01-01,1\n2020-01-08,2\n2020-01-15,3\n"), "x");
        assertEquals("when", series.timeColumn());
        assertEquals(Frequency.WEEKLY, series.frequency());
    }

    @Test
    void anExplicitTimeColumnAndFormatAreUsed() throws IOException {
        Path file = write("e.csv", "stamp,x\n07.03.2021,1\n08.03.2021,2\n");
        TimeSeries series = TimeSeriesCsv.read(file,
                Options.target("x").withTimeColumn("stamp").withTimeFormat("dd.MM.yyyy"));
        assertEquals(LocalDateTime.of(2021, 3, 8, 0, 0), series.times()[1]);
        assertEquals("dd.MM.yyyy", series.timeFormat().pattern());
        failure(file, Options.target("x").withTimeColumn("stamp").withTimeFormat("yyyy-MM-dd"),
                "line 2, column 'stamp': '07.03.2021' is not a time in the format 'yyyy-MM-dd' given by --time-format");
        failure(file, Options.target("x").withTimeFormat("yyyy-MM-dd-QQQQQQ"), "not a valid --time-format pattern");
    }

    @Test
    void dayFirstTwoDigitYearsAndUnixTimes() throws IOException {
        TimeSeries sp = read(write("sp.csv", "Date,Close\n03-01-00,1455.2\n04-01-00,1399.4\n05-01-00,1402.1\n"),
                "Close");
        assertEquals(LocalDateTime.of(2000, 1, 3, 0, 0), sp.times()[0]);
        assertEquals("06-01-00", sp.timeFormat().format(sp.frequency().plus(sp.times()[2], 1)));
        TimeSeries seconds = read(write("s.csv", "timestamp,v\n1577836800,1\n1577840400,2\n1577844000,3\n"), "v");
        assertEquals(Frequency.HOURLY, seconds.frequency());
        assertEquals("1577847600", seconds.timeFormat().format(seconds.frequency().plus(seconds.times()[2], 1)));
        TimeSeries millis = read(write("ms.csv", "ds,v\n1577836800000,1\n1577923200000,2\n"), "v");
        assertEquals(LocalDateTime.of(2020, 1, 2, 0, 0), millis.times()[1]);
        TimeSeries minutes = read(write("h.csv", "time,v\n2020-01-01 10:00,1\n2020-01-01 11:00,2\n"), "v");
        assertEquals("yyyy-MM-dd HH:mm", minutes.timeFormat().pattern());
        assertEquals("2020-01-01 12:00", minutes.timeFormat().format(minutes.frequency().plus(minutes.times()[1], 1)));
        TimeSeries years = read(write("y.csv", "year,v\n1990,1\n1991,2\n1992,4\n"), "v");
        assertEquals(Frequency.YEARLY, years.frequency());
    }

    @Test
    void aColumnOfPlainIntegersIsNotTakenForYears() throws IOException {
        TimeSeries series = read(write("i.csv", "count,v\n1990,1\n1985,2\n2001,4\n"), "v");
        assertNull(series.timeColumn());
    }

    @Test
    void interpolationFillsGapsLinearlyPerColumn() throws IOException {
        Path file = write("gap.csv", "t,y,z\n2020-01-01,1,10\n2020-01-02,NA,\n2020-01-03,,30\n2020-01-04,4,inf\n"
                + "2020-01-05,5,50\n");
        TimeSeries series = TimeSeriesCsv.read(file,
                Options.target("y").withFeatures(List.of("z")).withMissing(MissingValues.INTERPOLATE));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, series.values(0), 1e-12);
        assertArrayEquals(new double[] {10, 20, 30, 40, 50}, series.values(1), 1e-12);
        assertEquals(0, series.droppedRows());
    }

    @Test
    void interpolationCannotFillEitherEnd() throws IOException {
        Options interpolate = Options.target("y").withMissing(MissingValues.INTERPOLATE);
        failure(write("s.csv", "t,y\n2020-01-01,NA\n2020-01-02,2\n2020-01-03,3\n"), interpolate,
                "line 2, column 'y'", "no earlier value", "--missing drop");
        failure(write("e.csv", "t,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,\n2020-01-04,nan\n"), interpolate,
                "line 4, column 'y'", "no later value", "--missing drop");
    }

    @Test
    void dropLeavesOutRowsWithAnyMissingValueAndCountsThem() throws IOException {
        Path file = write("d.csv", "t,y,z\n2020-01-01,1,10\n2020-01-02,NA,20\n2020-01-03,3,-inf\n2020-01-04,4,40\n");
        TimeSeries series = TimeSeriesCsv.read(file,
                Options.target("y").withFeatures(List.of("z")).withMissing(MissingValues.DROP));
        assertEquals(2, series.droppedRows());
        assertArrayEquals(new double[] {1, 4}, series.target());
        assertArrayEquals(new int[] {2, 5}, series.lines());
        assertArrayEquals(new String[] {"2020-01-01", "2020-01-04"}, series.timeLabels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", " na "})
    void missingMarkersAreRefusedByDefault(String marker) throws IOException {
        Path file = write("m.csv", "t,Temp\n2020-01-01,1\n2020-01-02," + marker + "\n2020-01-03,3\n");
        DataFileException e = failure(file, Options.target("Temp"), "line 3, column 'Temp': the value is missing",
                "pass --drop-invalid (--missing drop) to leave such rows out, or --missing interpolate");
        assertEquals(3, e.line());
        assertEquals("Temp", e.column());
        assertEquals(file.toString(), e.source());
    }

    @ParameterizedTest
    @ValueSource(strings = {"inf", "-inf", "Infinity", "+Infinity", "1e999"})
    void nonFiniteValuesAreRefusedAsNotFinite(String value) throws IOException {
        failure(write("inf.csv", "t,y\n2020-01-01,1\n2020-01-02," + value + "\n"), Options.target("y"),
                "line 3, column 'y': '" + value + "' is not finite", "--drop-invalid (--missing drop) to leave such rows out, or --missing interpolate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0x10", "1d", "12,5", "1.2.3", "?0.2"})
    void textIsNotANumber(String value) throws IOException {
        String cell = value.contains(",") ? "\"" + value + "\"" : value;
        failure(write("sales.csv", "Month,Passengers\n1949-01,1\n1949-02," + cell + "\n"),
                Options.target("Passengers").withMissing(MissingValues.DROP),
                ": line 3, column 'Passengers': '" + value + "' is not a number");
    }

    @Test
    void fileErrors() throws IOException {
        failure(dir.resolve("absent.csv"), Options.target("y"), "absent.csv: no such file");
        failure(dir, Options.target("y"), "is a directory");
        failure(write("empty.csv", ""), Options.target("y"), "the file is empty");
        failure(write("blank.csv", "\n\r\n"), Options.target("y"), "the file is empty");
        failure(write("header.csv", "t,y\r\n"), Options.target("y"), "header but no rows");
        failure(write("one.csv", "t,y\n2020-01-01,1\n"), Options.target("y"), "only 1 row", "at least 2");
        failure(write("dropped.csv", "t,y\n2020-01-01,1\n2020-01-02,NA\n"),
                Options.target("y").withMissing(MissingValues.DROP), "only 1 row left after --missing drop removed 1");
    }

    @Test
    void columnErrors() throws IOException {
        Path file = write("c.csv", "Month,Passengers,Rain\n1949-01,1,2\n1949-02,3,4\n");
        failure(file, Options.target("Sales"),
                "no column 'Sales' (the target) in the header; the columns are: Month, Passengers, Rain");
        failure(file, Options.target("Passengers").withFeatures(List.of("Snow")), "no column 'Snow' (the feature)");
        failure(file, Options.target("Passengers").withFeatures(List.of("Rain", "Rain")),
                "column 'Rain': is asked for twice");
        failure(file, Options.target("Passengers").withFeatures(List.of("Passengers")),
                "column 'Passengers': is asked for twice");
        failure(file, Options.target("Month"), "line 2, column 'Month': '1949-01' is not a number; it is a time,"
                + " so this is the time column, which cannot also be the target");
        failure(file, Options.target("Passengers").withTimeColumn("Passengers"),
                "column 'Passengers': is the time column and cannot also be the target");
        failure(file, Options.target("Passengers").withTimeColumn("Rain").withFeatures(List.of("Rain")),
                "column 'Rain': is the time column and cannot also be a feature");
        failure(file, Options.target("Passengers").withTimeColumn("When"), "no column 'When' (the time column)");
        failure(write("dup.csv", "t,y,y\n2020-01-01,1,2\n2020-01-02,3,4\n"), Options.target("y"),
                "line 1, column 'y': the header names this column twice (columns 2 and 3)");
    }

    @Test
    void aRaggedRowIsNamed() throws IOException {
        failure(write("r.csv", "t,y\n2020-01-01,1\n2020-01-02,2,9\n"), Options.target("y"),
                "line 3: the line has 3 fields, the header has 2");
        failure(write("r1.csv", "t,y\n2020-01-01,1\n2020-01-02\n"), Options.target("y"),
                "line 3: the line has 1 field, the header has 2");
    }

    @Test
    void anUnclosedQuoteIsNamed() throws IOException {
        failure(write("u.csv", "t,y\n2020-01-01,1\n2020-01-02,\"2\n2020-01-03,3\n"), Options.target("y"),
                "line 3: a quoted field starting on this line has no closing quote");
    }

    @Test
    void invalidUtf8NamesTheByteOffset() throws IOException {
        byte[] bytes = "t,y\n2020-01-01,1\n2020-01-02,2\u00e9\n".getBytes(StandardCharsets.UTF_8);
        int offset = "t,y\n2020-01-01,1\n2020-01-02,2".length();
        bytes[offset] = (byte) 0xF0; // a lead byte of a 4-byte sequence, followed by a byte that cannot continue it
        failure(write("bad.csv", bytes), Options.target("y"),
                "bad.csv: line 3: invalid UTF-8 at byte offset " + offset + " (byte 0xF0)");
        // and the same bytes read as Latin-1 are fine up to the text they decode to
        failure(write("latin.csv", bytes), Options.target("y").withEncoding(StandardCharsets.ISO_8859_1),
                "is not a number");
    }

    @Test
    void timesThatDoNotParseListTheFormatsTried() throws IOException {
        failure(write("t.csv", "Date,y\n2020-01-01,1\n2020-13-01,2\n"), Options.target("y"),
                "line 3, column 'Date': '2020-13-01' is not a time in any of the formats tried (",
                "yyyy-MM-dd, yyyy-MM", "dd-MM-yy", "Unix seconds", "pass --time-format");
        failure(write("w.csv", "Date,y\nsoon,1\nlater,2\n"), Options.target("y"), "line 2, column 'Date': 'soon'");
        failure(write("e.csv", "Date,y\n2020-01-01,1\n,2\n"), Options.target("y"),
                "line 3, column 'Date': the time is missing");
    }

    @Test
    void timesMustStrictlyIncrease() throws IOException {
        failure(write("dup.csv", "Date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n"), Options.target("y"),
                "line 4, column 'Date': time '2020-01-02' repeats the time on line 3", "strictly increasing");
        failure(write("order.csv", "Date,y\n2020-01-02,1\n2020-01-01,2\n"), Options.target("y"),
                "line 3, column 'Date': time '2020-01-01' is before the time on line 2 ('2020-01-02')");
    }

    @Test
    void sliceKeepsTheRowsAskedFor() throws IOException {
        TimeSeries series = read(write("air.csv", MONTHS), "Passengers");
        TimeSeries tail = series.slice(1, 3);
        assertEquals(2, tail.length());
        assertArrayEquals(new double[] {118, 132}, tail.target());
        assertArrayEquals(new String[] {"1949-02", "1949-03"}, tail.timeLabels());
        assertArrayEquals(new int[] {3, 4}, tail.lines());
        assertEquals(Frequency.MONTHLY, tail.frequency());
        assertThrows(IndexOutOfBoundsException.class, () -> series.slice(2, 4));
    }

    @Test
    void accessorsReturnCopies() throws IOException {
        TimeSeries series = read(write("air.csv", MONTHS), "Passengers");
        series.target()[0] = -1;
        series.timeLabels()[0] = "x";
        assertEquals(112, series.target()[0]);
        assertEquals("1949-01", series.timeLabels()[0]);
    }
}
