package dev.rnn4j.data.audio;

import dev.rnn4j.data.DataFileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads RIFF/WAVE files into mono {@link Audio}.
 *
 * <p>Layout (all little-endian): {@code "RIFF" size "WAVE"} then chunks {@code id(4) size(4) body(size)}, each body
 * padded to an even length. Chunks may come in any order; {@code fmt } and {@code data} are required, others
 * ({@code LIST}, {@code fact}, {@code cue }, ...) are skipped. The RIFF size itself is not trusted (streaming writers
 * leave it 0 or too large); every chunk's size is checked against the bytes that remain in the file before anything
 * is allocated.
 *
 * <p>Encodings: PCM (format 1) 8-bit unsigned, 16- and 24-bit signed; IEEE float (format 3) 32-bit; and
 * WAVE_FORMAT_EXTENSIBLE (0xFFFE) whose sub-format is one of these. Integer samples are scaled by 2^-(bits-1) (8-bit:
 * (u - 128) / 128), so full scale is [-1, 1). Channels are averaged to mono.
 *
 * <p>Every problem is a {@link DataFileException} naming the file, line 0, and "byte B" (the offset of the chunk or
 * field at fault) in its detail.
 */
public final class WavFile {
    static final String SUPPORTED = "supported: PCM 8-bit (unsigned), 16-bit and 24-bit (format 1), 32-bit float"
            + " (format 3), and WAVE_FORMAT_EXTENSIBLE with those";

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int HEADER_BYTES = 12;
    private static final int CHUNK_HEADER_BYTES = 8;

    private WavFile() {}

    /** Reads {@code file}; see the class comment for what is accepted. */
    public static Audio read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            // the whole file in memory bounds every later allocation by its size
            if (Files.size(file) > Integer.MAX_VALUE - 8) throw DataFileException.ofFile(source, "larger than 2 GB; split it");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFileException(source, 0, null, "no such file", e);
        } catch (IOException e) {
            throw new DataFileException(source, 0, null, "cannot read: " + e.getMessage(), e);
        }
        return parse(source, bytes);
    }

    /** Parses the bytes of a WAV file; {@code source} names it in messages. */
    public static Audio parse(String source, byte[] bytes) {
        if (bytes.length < HEADER_BYTES) {
            throw error(source, 0, "truncated header: " + bytes.length + " bytes, a WAV file starts with a 12-byte RIFF header");
        }
        String riff = fourCc(bytes, 0);
        if (!riff.equals("RIFF")) {
            String hint = riff.equals("RIFX") ? " (big-endian RIFX is not supported)" : riff.equals("RF64") ? " (RF64 is not supported)" : "";
            throw error(source, 0, "not a RIFF/WAVE file: starts with '" + printable(riff) + "', not 'RIFF'" + hint);
        }
        String wave = fourCc(bytes, 8);
        if (!wave.equals("WAVE")) throw error(source, 8, "not a RIFF/WAVE file: RIFF form '" + printable(wave) + "', not 'WAVE'");

        int fmtAt = -1, fmtSize = 0, dataAt = -1, dataSize = 0;
        int at = HEADER_BYTES;
        while (bytes.length - at >= CHUNK_HEADER_BYTES) {
            String id = fourCc(bytes, at);
            long size = Integer.toUnsignedLong(int32(bytes, at + 4));
            long remaining = bytes.length - (at + CHUNK_HEADER_BYTES);
            if (size > remaining) {
                throw error(source, at, String.format(Locale.ROOT,
                        "chunk '%s' declares %d bytes but only %d remain in the file (truncated?)", printable(id), size, remaining));
            }
            if (id.equals("fmt ") && fmtAt < 0) {
                fmtAt = at;
                fmtSize = (int) size;
            } else if (id.equals("data") && dataAt < 0) {
                dataAt = at;
                dataSize = (int) size;
            }
            // bodies are padded to an even length; a missing pad byte at the very end is tolerated
            at += CHUNK_HEADER_BYTES + (int) size + (int) (size & 1);
        }
        if (fmtAt < 0) throw error(source, HEADER_BYTES, "no 'fmt ' chunk: the header is missing or truncated");
        if (dataAt < 0) throw error(source, HEADER_BYTES, "no 'data' chunk: the recording is missing or truncated");

        Format format = format(source, bytes, fmtAt, fmtSize);
        int frames = dataSize / format.blockAlign;
        if (frames == 0) throw error(source, dataAt, "zero-length recording: the data chunk holds no samples (" + dataSize + " bytes)");
        return new Audio(decode(bytes, dataAt + CHUNK_HEADER_BYTES, frames, format), format.sampleRate, source);
    }

    /** What the fmt chunk says, after checking it is an encoding this reader decodes. */
    private record Format(Encoding encoding, int channels, int sampleRate, int blockAlign) {}

    private enum Encoding {
        PCM_U8(1), PCM_S16(2), PCM_S24(3), FLOAT32(4);

        final int bytes;

        Encoding(int bytes) {
            this.bytes = bytes;
        }
    }

    private static Format format(String source, byte[] bytes, int chunkAt, int size) {
        int body = chunkAt + CHUNK_HEADER_BYTES;
        if (size < 16) throw error(source, chunkAt, "truncated header: the 'fmt ' chunk has " + size + " bytes, at least 16 expected");
        int tag = uint16(bytes, body);
        int channels = uint16(bytes, body + 2);
        long sampleRate = Integer.toUnsignedLong(int32(bytes, body + 4));
        int blockAlign = uint16(bytes, body + 12);
        int bits = uint16(bytes, body + 14);
        int formatAt = body;
        if (tag == FORMAT_EXTENSIBLE) {
            // cbSize(2) validBits(2) channelMask(4) subFormat GUID(16): the GUID's first two bytes are the format tag
            if (size < 40) throw error(source, chunkAt, "truncated header: WAVE_FORMAT_EXTENSIBLE needs a 40-byte 'fmt ' chunk, this one has " + size);
            formatAt = body + 24;
            tag = uint16(bytes, formatAt);
        }
        Encoding encoding = encoding(source, formatAt, tag, bits);
        if (channels == 0) throw error(source, body + 2, "the 'fmt ' chunk declares 0 channels");
        if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE) throw error(source, body + 4, "sample rate " + sampleRate + " Hz is not usable");
        if (blockAlign != channels * encoding.bytes) {
            throw error(source, body + 12, String.format(Locale.ROOT, "block align %d does not match %d channel(s) of %d-bit samples (%d bytes)",
                    blockAlign, channels, bits, channels * encoding.bytes));
        }
        return new Format(encoding, channels, (int) sampleRate, blockAlign);
    }

    private static Encoding encoding(String source, int at, int tag, int bits) {
        if (tag == FORMAT_PCM) {
            return switch (bits) {
                case 8 -> Encoding.PCM_U8;
                case 16 -> Encoding.PCM_S16;
                case 24 -> Encoding.PCM_S24;
                default -> throw error(source, at, bits + "-bit integer PCM is not supported; " + SUPPORTED);
            };
        }
        if (tag == FORMAT_FLOAT) {
            if (bits == 32) return Encoding.FLOAT32;
            throw error(source, at, bits + "-bit float is not supported; " + SUPPORTED);
        }
        throw error(source, at, "format " + tag + formatName(tag) + " is not supported; " + SUPPORTED);
    }

    private static String formatName(int tag) {
        return switch (tag) {
            case 2 -> " (ADPCM)";
            case 6 -> " (A-law)";
            case 7 -> " (mu-law)";
            case 0x11 -> " (IMA ADPCM)";
            case 0x31 -> " (GSM 6.10)";
            case 0x50 -> " (MPEG)";
            case 0x55 -> " (MPEG Layer 3)";
            case FORMAT_EXTENSIBLE -> " (WAVE_FORMAT_EXTENSIBLE nested in itself)";
            default -> "";
        };
    }

    private static float[] decode(byte[] bytes, int start, int frames, Format format) {
        float[] mono = new float[frames];
        int channels = format.channels;
        // averaging in double keeps a 24-bit mixdown exact
        double perChannel = 1.0 / channels;
        int at = start;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(bytes, at, format.encoding);
                at += format.encoding.bytes;
            }
            mono[f] = (float) (channels == 1 ? sum : sum * perChannel);
        }
        return mono;
    }

    private static double sample(byte[] b, int at, Encoding encoding) {
        return switch (encoding) {
            case PCM_U8 -> ((b[at] & 0xFF) - 128) / 128.0;
            case PCM_S16 -> (short) ((b[at] & 0xFF) | (b[at + 1] << 8)) / 32768.0;
            case PCM_S24 -> ((b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] << 16)) / 8388608.0;
            case FLOAT32 -> Float.intBitsToFloat(int32(b, at));
        };
    }

    private static int uint16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | (b[at + 3] << 24);
    }

    private static String fourCc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String id) {
        StringBuilder s = new StringBuilder();
        for (char c : id.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) s.append(c);
            else s.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
        }
        return s.toString();
    }

    private static DataFileException error(String source, int byteOffset, String detail) {
        return new DataFileException(source, 0, null, "byte " + byteOffset + ": " + detail);
    }
}
