package dev.rnn4j.data.fuzz;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.dna.DnaEncoding;
import dev.rnn4j.data.dna.FastaSource;
import dev.rnn4j.data.series.TimeSeriesCsv;
import dev.rnn4j.data.series.TimeSeriesCsv.MissingValues;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzzing of the text readers: time-series CSV (strict, and dropping invalid rows) and FASTA. Damaged copies of
 * valid files either read or fail with a {@link DataFileException} naming the file.
 */
class TextFileFuzzTest {
    private static final Path DIR = FuzzFiles.directory("text-fuzz");

    private static final String CSV = """
            Month,Passengers,Temp
            1949-01,112,3.5
            1949-02,118,4.25
            1949-03,132,-1e2
            1949-04,129,7
            "1949-05","121","8.0"
            1949-06,135,9
            1949-07,148,10
            1949-08,148,11
            """;
    private static final String CSV_CRLF_BOM = "\uFEFFdate,value\r\n2020-01-01,1\r\n2020-01-02,2.5\r\n2020-01-03,NaN\r\n2020-01-04,4\r\n";

    private static final List<String> CSV_TOKENS = List.of(",", "\"", "\"\"", "\n", "\r\n", "\r", "NaN", "inf", "-Infinity", "1e999",
            "NA", "", "0x1p3", "1,5", "\u00e9", "\uFEFF", "\u0000", "2020-13-45", "1949-01", ",,,,,,,,", "Passengers", "Month");

    @Provide
    Arbitrary<byte[]> csvFiles() {
        return ByteMutations.of(List.of(CSV.getBytes(StandardCharsets.UTF_8), CSV_CRLF_BOM.getBytes(StandardCharsets.UTF_8)), CSV_TOKENS);
    }

    @Property
    void timeSeriesCsvReadsOrFailsWithADataFileException(@ForAll("csvFiles") byte[] bytes, @ForAll MissingValues missing) {
        Path file = FuzzFiles.write(DIR, "fuzz.csv", bytes);
        String target = new String(bytes, StandardCharsets.ISO_8859_1).contains("Passengers") ? "Passengers" : "value";
        ByteMutations.readsOrRejects(DataFileException.class, file.toString(), bytes.length,
                () -> TimeSeriesCsv.read(file, TimeSeriesCsv.Options.target(target).withMissing(missing)));
    }

    private static final String FASTA = """
            >seq1 class=promoter chr1:100-160
            ACGTACGTTTGACAAAATATAATGCGCGCGATCG
            acgtnnRYKM
            >seq2 class=other
            GGGCCCAAATTT

            >seq3 class=promoter
            TTGACA
            """;

    private static final List<String> FASTA_TOKENS = List.of(">", "\n", "\r\n", ">\n", "class=", "class=x", "N", "-", "*", "U", "X",
            "\u00e9", "\u0000", ";comment", " ", "ACGT".repeat(16));

    @Provide
    Arbitrary<byte[]> fastaFiles() {
        return ByteMutations.of(List.of(FASTA.getBytes(StandardCharsets.UTF_8)), FASTA_TOKENS);
    }

    @Property
    void fastaReadsOrFailsWithADataFileException(@ForAll("fastaFiles") byte[] bytes) {
        Path file = FuzzFiles.write(DIR, "fuzz.fa", bytes);
        ByteMutations.readsOrRejects(DataFileException.class, file.toString(), bytes.length,
                () -> FastaSource.labelledByHeader(file, Pattern.compile("class=(\\w+)"), DnaEncoding.ONE_HOT).read(null));
    }
}
