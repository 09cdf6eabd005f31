package org.hnswmap.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A system's process (a {@link CompareWorker} JVM or the C++ {@code hnswlib_worker}) spoken to in
 * lines over its standard input and output; its standard error goes to a log file named in every
 * failure, so a crash or refusal of one system says what happened.
 */
final class WorkerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static WorkerProcess start(String name, List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new WorkerProcess(name, builder.start(), log);
    }

    /** Runs {@code command} to its end and returns the lines it printed. */
    static List<String> runToEnd(String name, List<String> command, Path log)
            throws IOException, InterruptedException {
        try (WorkerProcess worker = start(name, command, log)) {
            worker.in.close();
            List<String> lines = new ArrayList<>();
            for (String line = worker.out.readLine(); line != null; line = worker.out.readLine()) {
                lines.add(line);
            }
            int code = worker.process.waitFor();
            if (code != 0) {
                throw new IOException(name + " exited with code " + code + "; see " + log);
            }
            return lines;
        }
    }

    /** The next line, which must start with {@code word}. */
    String expect(String word) throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException(name + " ended early; see " + log);
        }
        if (!line.startsWith(word)) {
            throw new IOException(name + " said \"" + line + "\" where " + word + " was due");
        }
        return line;
    }

    /** Sends one command line and returns every line up to (not including) {@code done}. */
    List<String> ask(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        List<String> lines = new ArrayList<>();
        for (String line = expectAny(); !line.equals("done"); line = expectAny()) {
            lines.add(line);
        }
        return lines;
    }

    private String expectAny() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException(name + " ended early; see " + log);
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                try {
                    in.write("quit\n");
                    in.close();
                } catch (IOException alreadyGone) {
                    // The process closed its input: it is ending anyway.
                }
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
