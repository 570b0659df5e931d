package dev.rnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Locale;

/**
 * Decodes a byte stream to text and refuses bytes that are not valid in the charset, instead of replacing them
 * with U+FFFD as {@link java.io.InputStreamReader} does: a {@link DataFileException} names the 0-based byte offset
 * of the first bad byte, its value and its line. A byte order mark (U+FEFF) at the very start is skipped.
 *
 * <p>Streams: holds one buffer of bytes and one of characters, whatever the size of the input.
 */
public final class StrictCharsetReader extends Reader {
    private static final int BUFFER = 8192;

    private final InputStream in;
    private final String source;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).limit(0);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER).limit(0);
    private long bytesBeforeBuffer;
    private int newlinesDecoded;
    private boolean started;
    private boolean endOfInput;
    private boolean done;

    /**
     * @param in      the bytes; closed with this reader
     * @param source  the file, for messages
     * @param charset how the bytes are encoded
     */
    public StrictCharsetReader(InputStream in, String source, Charset charset) {
        this.in = in;
        this.source = source;
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) return 0;
        while (!chars.hasRemaining()) {
            if (done) return -1;
            decodeMore();
        }
        int count = Math.min(length, chars.remaining());
        chars.get(target, offset, count);
        return count;
    }

    private void decodeMore() throws IOException {
        chars.clear();
        while (chars.position() == 0 && !done) {
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            if (result.isError()) throw invalid(result);
            if (result.isOverflow()) break;
            if (endOfInput) {
                decoder.flush(chars);
                done = true;
            } else {
                refill();
            }
        }
        chars.flip();
        for (int i = chars.position(); i < chars.limit(); i++) if (chars.get(i) == '\n') newlinesDecoded++;
        if (!started && chars.hasRemaining()) {
            started = true;
            if (chars.get(chars.position()) == '\uFEFF') chars.get();
        }
    }

    private void refill() throws IOException {
        bytesBeforeBuffer += bytes.position();
        bytes.compact();
        int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (read < 0) endOfInput = true;
        else bytes.position(bytes.position() + read);
        bytes.flip();
    }

    private DataFileException invalid(CoderResult result) {
        int line = newlinesDecoded + 1;
        for (int i = 0; i < chars.position(); i++) if (chars.get(i) == '\n') line++;
        long offset = bytesBeforeBuffer + bytes.position();
        String detail = bytes.hasRemaining()
                ? String.format(Locale.ROOT, "invalid %s at byte offset %d (byte 0x%02X)",
                        charset.name(), offset, bytes.get(bytes.position()) & 0xFF)
                : String.format(Locale.ROOT, "invalid %s at byte offset %d (the file ends inside a character)",
                        charset.name(), offset);
        boolean unicode = charset.name().startsWith("UTF");
        return new DataFileException(source, line, null,
                detail + (unicode ? "; save the file as " + charset.name() : "; check the file's encoding"));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
