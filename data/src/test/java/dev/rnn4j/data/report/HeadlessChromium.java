package dev.rnn4j.data.report;

import dev.rnn4j.io.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromium, headless, driven over the DevTools protocol (a WebSocket from java.net.http): opens a page
 * as a person would and reports what it requested, what it logged as errors, and what a script measured; takes
 * screenshots. Started with a fresh profile, no sandbox (root in CI), no GPU and no background networking.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();

    /** What the page did while it loaded and drew. */
    record PageVisit(List<String> requests, List<String> errors, Object measured) {}

    /** The browser on the PATH (chromium, as Debian names it, or chromium-browser), if there is one. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static HeadlessChromium start(Path browser, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("rnn4j-chromium-");
        Process process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "--hide-scrollbars", "about:blank")
                .redirectErrorStream(true).start();
        CompletableFuture<String> browserUrl = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) browserUrl.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // the browser has gone; start() times out if it never listened
            }
            browserUrl.completeExceptionally(new IOException("chromium exited without a DevTools endpoint"));
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        try {
            URI ws = URI.create(browserUrl.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            return new HeadlessChromium(process, profile, pageSocket(ws));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("cannot start chromium: " + e.getMessage(), e);
        }
    }

    /** The WebSocket of the browser's first page (about:blank), from the endpoint's /json/list. */
    private static URI pageSocket(URI browser) throws IOException, InterruptedException {
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int attempt = 0; attempt < 50; attempt++) {
                String body = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (Object target : (List<?>) Json.parse(body)) {
                    Map<?, ?> t = (Map<?, ?>) target;
                    if ("page".equals(t.get("type"))) return URI.create((String) t.get("webSocketDebuggerUrl"));
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("chromium has no page to drive");
    }

    private HeadlessChromium(Process process, Path profile, URI page) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(page, new Listener()).join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> message = Json.parseObject(text.toString());
                text.setLength(0);
                if (message.get("id") instanceof Number id) {
                    CompletableFuture<Map<String, Object>> reply = pending.remove(id.intValue());
                    if (reply != null) reply.complete(message);
                } else {
                    synchronized (events) {
                        events.add(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Sends a DevTools command and waits for its result. */
    @SuppressWarnings("unchecked")
    Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true).join();
        Map<String, Object> message = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (message.containsKey("error")) throw new IllegalStateException(method + ": " + message.get("error"));
        return (Map<String, Object>) message.get("result");
    }

    /** Evaluates a script in the page and returns its value (JSON types). */
    @SuppressWarnings("unchecked")
    Object evaluate(String expression) throws Exception {
        Map<String, Object> result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.containsKey("exceptionDetails")) throw new IllegalStateException("the script failed: " + result.get("exceptionDetails"));
        return ((Map<String, Object>) result.get("result")).get("value");
    }

    /**
     * Opens a page, waits until {@code readyScript} is true (or a timeout), then runs {@code measureScript}.
     * Collects every request but the page's own and its data: URLs, and every console error, uncaught exception and
     * browser log error.
     */
    PageVisit visit(Path page, String readyScript, String measureScript) throws Exception {
        synchronized (events) {
            events.clear();
        }
        for (String domain : List.of("Network.enable", "Runtime.enable", "Log.enable", "Page.enable")) send(domain, Map.of());
        String url = page.toUri().toString();
        send("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Boolean.TRUE.equals(evaluate("document.readyState === 'complete' && !!(" + readyScript + ")"))) {
            if (System.nanoTime() > deadline) break;
            Thread.sleep(50);
        }
        Object measured = evaluate(measureScript);
        List<String> requests = new ArrayList<>(), errors = new ArrayList<>();
        synchronized (events) {
            for (Map<String, Object> event : events) {
                Map<?, ?> params = (Map<?, ?>) event.get("params");
                switch (String.valueOf(event.get("method"))) {
                    case "Network.requestWillBeSent" -> {
                        String requested = String.valueOf(((Map<?, ?>) params.get("request")).get("url"));
                        if (!requested.equals(url) && !requested.startsWith("data:")) requests.add(requested);
                    }
                    case "Runtime.consoleAPICalled" -> {
                        if ("error".equals(params.get("type")) || "warning".equals(params.get("type"))) errors.add("console: " + params.get("args"));
                    }
                    case "Runtime.exceptionThrown" -> errors.add("exception: " + params.get("exceptionDetails"));
                    case "Log.entryAdded" -> {
                        Map<?, ?> entry = (Map<?, ?>) params.get("entry");
                        if ("error".equals(entry.get("level"))) errors.add("log: " + entry.get("text") + " " + entry.get("url"));
                    }
                    default -> { }
                }
            }
        }
        return new PageVisit(requests, errors, measured);
    }

    /** A PNG of the whole page, or of the element a CSS selector names (its first match). */
    byte[] screenshot(String selector) throws Exception {
        String box = selector == null
                ? "[0, 0, document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
                : "(function () { var r = document.querySelector(" + Json.quote(selector) + ").getBoundingClientRect();"
                  + " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()";
        List<?> b = (List<?>) evaluate(box);
        Map<String, Object> clip = Map.of("x", num(b.get(0)), "y", num(b.get(1)), "width", num(b.get(2)), "height", num(b.get(3)), "scale", 1);
        Map<String, Object> result = send("Page.captureScreenshot", Map.of("format", "png", "clip", clip, "captureBeyondViewport", true));
        return Base64.getDecoder().decode((String) result.get("data"));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
