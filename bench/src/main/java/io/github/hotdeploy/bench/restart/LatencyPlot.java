package io.github.hotdeploy.bench.restart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Latency over time from the load generator's timeline.csv, restart windows shaded and signals
 * marked, with requests and failures per 100 ms underneath. Plain Java2D, headless.
 */
final class LatencyPlot {

    record Bucket(long epochMs, int requests, int ok, int failures, double p50, double p99, double max) {
    }

    private static final int W = 1400;
    private static final int H = 640;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int LAT_H = 400;
    private static final int GAP = 30;
    private static final int CNT_H = 130;

    private static final Color WINDOW = new Color(255, 221, 170);
    private static final Color SIGNAL = new Color(120, 60, 0);
    private static final Color P50 = new Color(40, 90, 200);
    private static final Color P99 = new Color(230, 120, 0);
    private static final Color MAX = new Color(150, 150, 150);
    private static final Color OK = new Color(120, 180, 120);
    private static final Color FAIL = new Color(210, 20, 20);

    private LatencyPlot() {
    }

    static List<Bucket> readTimeline(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header == null || !header.startsWith("offset_ms,epoch_ms,requests,ok,failures,resent,p50_ms,p99_ms,max_ms")) {
            throw new IOException("timeline.csv: unexpected header: " + header);
        }
        List<Bucket> buckets = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            buckets.add(new Bucket(Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), num(f[6]), num(f[7]), num(f[8])));
        }
        return buckets;
    }

    private static double num(String s) {
        return s.isEmpty() ? -1 : Double.parseDouble(s);
    }

    static void draw(Path timelineCsv, Windows windows, List<Restart> restarts, String title, Path png) throws IOException {
        List<Bucket> buckets;
        try (BufferedReader in = Files.newBufferedReader(timelineCsv, StandardCharsets.UTF_8)) {
            buckets = readTimeline(in);
        }
        ImageIO.write(render(buckets, windows, restarts, title), "png", png.toFile());
    }

    static BufferedImage render(List<Bucket> buckets, Windows windows, List<Restart> restarts, String title) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 22);
        if (buckets.isEmpty()) {
            g.drawString("no requests", LEFT, TOP + 40);
            g.dispose();
            return img;
        }
        long t0 = buckets.get(0).epochMs();
        long t1 = buckets.get(buckets.size() - 1).epochMs() + 100;
        int plotW = W - LEFT - RIGHT;
        double msPerPx = Math.max(1, (double) (t1 - t0) / plotW);
        java.util.function.LongToIntFunction x = t -> LEFT + (int) Math.round((t - t0) / msPerPx);

        double top = 1;
        int maxCount = 1;
        for (Bucket b : buckets) {
            top = Math.max(top, b.max());
            maxCount = Math.max(maxCount, b.requests());
        }
        double lo = 0.1;
        double hi = Math.pow(10, Math.ceil(Math.log10(top)));
        int latBottom = TOP + LAT_H;
        java.util.function.DoubleUnaryOperator y = v -> latBottom - (Math.log10(Math.max(v, lo)) - Math.log10(lo))
                / (Math.log10(hi) - Math.log10(lo)) * LAT_H;
        int cntTop = latBottom + GAP;
        int cntBottom = cntTop + CNT_H;

        // restart windows behind everything
        g.setColor(WINDOW);
        for (Windows.Window w : windows.list()) {
            int a = x.applyAsInt(Math.max(w.fromMs(), t0));
            int b = x.applyAsInt(Math.min(w.toMs(), t1));
            if (b > a) {
                g.fillRect(a, TOP, b - a, LAT_H);
                g.fillRect(a, cntTop, b - a, CNT_H);
            }
        }

        // axes and grid
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1));
        for (double v = lo; v <= hi * 1.0001; v *= 10) {
            int yy = (int) y.applyAsDouble(v);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, yy, W - RIGHT, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(v < 1 ? String.format(Locale.ROOT, "%.1f ms", v) : String.format(Locale.ROOT, "%.0f ms", v), 8, yy + 4);
        }
        long step = (t1 - t0) > 120_000 ? 20_000 : (t1 - t0) > 40_000 ? 10_000 : 5_000;
        for (long t = 0; t0 + t <= t1; t += step) {
            int xx = x.applyAsInt(t0 + t);
            g.setColor(new Color(235, 235, 235));
            g.drawLine(xx, TOP, xx, latBottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString((t / 1000) + " s", xx - 8, cntBottom + 16);
        }
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, plotW, LAT_H);
        g.drawRect(LEFT, cntTop, plotW, CNT_H);
        g.setColor(Color.DARK_GRAY);
        g.drawString(maxCount + " req", 8, cntTop + 10);
        g.drawString("0", 8, cntBottom);

        // max as dots, then p99 and p50 lines
        g.setColor(MAX);
        for (Bucket b : buckets) {
            if (b.max() >= 0) {
                g.fillRect(x.applyAsInt(b.epochMs() + 50) - 1, (int) y.applyAsDouble(b.max()) - 1, 3, 3);
            }
        }
        line(g, buckets, x, y, true, P99);
        line(g, buckets, x, y, false, P50);

        // requests and failures per 100 ms
        for (Bucket b : buckets) {
            int xx = x.applyAsInt(b.epochMs());
            int w = Math.max(1, x.applyAsInt(b.epochMs() + 100) - xx);
            int okH = (int) Math.round((double) b.ok() / maxCount * CNT_H);
            g.setColor(OK);
            g.fillRect(xx, cntBottom - okH, w, okH);
            if (b.failures() > 0) {
                // at least 3 px: a single failed request must be visible
                int fH = Math.max(3, (int) Math.round((double) b.failures() / maxCount * CNT_H));
                g.setColor(FAIL);
                g.fillRect(xx, cntBottom - okH - fH, Math.max(2, w), fH);
                g.fillRect(xx - 1, TOP + LAT_H - 6, Math.max(3, w), 6);
            }
        }

        // signals
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 3}, 0));
        for (Restart r : restarts) {
            int xx = x.applyAsInt(r.signalMs());
            g.setColor(SIGNAL);
            g.drawLine(xx, TOP, xx, cntBottom);
            g.drawString(Integer.toString(r.number()), xx + 2, TOP + 11);
        }

        // legend
        int lx = W - RIGHT - 560;
        int ly = TOP - 8;
        g.setStroke(new BasicStroke(2));
        legend(g, lx, ly, P50, "p50");
        legend(g, lx + 60, ly, P99, "p99");
        legend(g, lx + 120, ly, MAX, "max (per 100 ms)");
        g.setColor(WINDOW);
        g.fillRect(lx + 250, ly - 8, 14, 10);
        g.setColor(Color.BLACK);
        g.drawString("restart window", lx + 268, ly + 2);
        legend(g, lx + 370, ly, FAIL, "failed/resent");
        legend(g, lx + 480, ly, OK, "ok / 100 ms");
        g.dispose();
        return img;
    }

    private static void legend(Graphics2D g, int x, int y, Color c, String label) {
        g.setColor(c);
        g.fillRect(x, y - 6, 14, 6);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 18, y + 2);
    }

    private static void line(Graphics2D g, List<Bucket> buckets, java.util.function.LongToIntFunction x,
                             java.util.function.DoubleUnaryOperator y, boolean p99, Color c) {
        Path2D.Double path = new Path2D.Double();
        boolean drawing = false;
        for (Bucket b : buckets) {
            double v = p99 ? b.p99() : b.p50();
            if (v < 0) {
                drawing = false;
                continue;
            }
            double xx = x.applyAsInt(b.epochMs() + 50);
            double yy = y.applyAsDouble(v);
            if (drawing) {
                path.lineTo(xx, yy);
            } else {
                path.moveTo(xx, yy);
                drawing = true;
            }
        }
        g.setColor(c);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(path);
    }
}
