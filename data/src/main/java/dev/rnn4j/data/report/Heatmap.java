package dev.rnn4j.data.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * A grid of numbers as a PNG in the viridis colour map (perceptually uniform, readable in grey and by the colour
 * blind), each cell a block of pixels, with its colour bar: what the report's heatmaps are drawn with.
 *
 * @param values [rows][cols]; NaN (and, on a log scale, values &lt;= 0) cells are drawn grey
 * @param log    colour by log10 of the value
 * @param low    the value at the bottom of the colour scale (clamped below)
 * @param high   the value at the top (clamped above)
 */
record Heatmap(double[][] values, boolean log, double low, double high) {
    /** Viridis at 0, 0.1, ..., 1 (matplotlib's), interpolated linearly between. */
    private static final int[] VIRIDIS = {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70,
            0x7ad151, 0xbddf26, 0xfde725};
    private static final int MISSING = 0xd0d0d0;

    /** A heatmap scaled to the finite (and, on a log scale, positive) values of the grid. */
    static Heatmap of(double[][] values, boolean log) {
        double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isFinite(v) || (log && v <= 0)) continue;
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        if (low > high) low = high = log ? 1 : 0;
        return new Heatmap(values, log, low, high);
    }

    int rows() {
        return values.length;
    }

    int cols() {
        int cols = 0;
        for (double[] row : values) cols = Math.max(cols, row.length);
        return cols;
    }

    /** The grid as a PNG, each cell {@code cellWidth} by {@code cellHeight} pixels, row 0 at the top. */
    byte[] png(int cellWidth, int cellHeight) {
        int rows = rows(), cols = cols();
        BufferedImage image = new BufferedImage(Math.max(1, cols * cellWidth), Math.max(1, rows * cellHeight), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = c < values[r].length ? values[r][c] : Double.NaN;
                int rgb = color(v);
                for (int y = r * cellHeight; y < (r + 1) * cellHeight; y++) {
                    for (int x = c * cellWidth; x < (c + 1) * cellWidth; x++) image.setRGB(x, y, rgb);
                }
            }
        }
        return encode(image);
    }

    /** The colour of a value on this scale. */
    int color(double v) {
        if (!Double.isFinite(v) || (log && v <= 0)) return MISSING;
        double a = log ? Math.log10(low) : low, b = log ? Math.log10(high) : high, x = log ? Math.log10(v) : v;
        return viridis(b > a ? (x - a) / (b - a) : 0.5);
    }

    /** The colour bar: low at the left, high at the right. */
    static byte[] legendPng(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            int rgb = viridis(x / (double) Math.max(1, width - 1));
            for (int y = 0; y < height; y++) image.setRGB(x, y, rgb);
        }
        return encode(image);
    }

    /** Viridis at u in [0, 1] (clamped), as 0xRRGGBB. */
    static int viridis(double u) {
        double x = Math.clamp(u, 0.0, 1.0) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double f = x - i;
        int a = VIRIDIS[i], b = VIRIDIS[i + 1];
        int red = mix(a >> 16, b >> 16, f), green = mix(a >> 8, b >> 8, f), blue = mix(a, b, f);
        return red << 16 | green << 8 | blue;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }

    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: does not fail
        }
        return out.toByteArray();
    }

    /** A PNG as a data: URL for an img element. */
    static String dataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }
}
