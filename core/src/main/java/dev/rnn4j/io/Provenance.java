package dev.rnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a model file came from, stored in its metadata as JSON so that a model found on disk months later can
 * be traced: which rnn4j wrote it, when, on which Java, and from what (e.g. {@code "import-torch lstm.safetensors"}
 * with that file's SHA-256).
 *
 * @param rnn4jVersion the rnn4j version that wrote the file
 * @param createdAt    ISO-8601 UTC time of writing, e.g. {@code 2025-11-26T12:00:00Z}
 * @param javaVersion  the Java runtime that wrote it
 * @param source       what the model was made from, free text; may be null
 * @param sourceSha256 lowercase hex SHA-256 of the source file, or null when there is none
 */
public record Provenance(String rnn4jVersion, String createdAt, String javaVersion, String source, String sourceSha256) {

    /** This library's version; kept equal to the Maven project version by a test. */
    public static final String RNN4J_VERSION = "0.1.0-SNAPSHOT";

    /** Provenance for a file written now by this rnn4j and this JVM. */
    public static Provenance now(String source, String sourceSha256) {
        return new Provenance(RNN4J_VERSION, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")", source, sourceSha256);
    }

    /** The lowercase hex SHA-256 of a file's contents. */
    public static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new ModelFileException(file + ": cannot read: " + FileErrors.describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The JSON object stored under the {@code provenance} metadata key; null fields are left out. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        putIfPresent(json, "rnn4j_version", rnn4jVersion);
        putIfPresent(json, "created_at", createdAt);
        putIfPresent(json, "java_version", javaVersion);
        putIfPresent(json, "source", source);
        putIfPresent(json, "source_sha256", sourceSha256);
        return Json.write(json);
    }

    /** Reads {@link #toJson()}'s output; fields that are missing or not strings become null. */
    public static Provenance fromJson(String json) {
        Map<String, Object> map = Json.parseObject(json);
        return new Provenance(string(map, "rnn4j_version"), string(map, "created_at"), string(map, "java_version"),
                string(map, "source"), string(map, "source_sha256"));
    }

    private static void putIfPresent(Map<String, Object> json, String key, String value) {
        if (value != null) json.put(key, value);
    }

    private static String string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? s : null;
    }
}
