package org.hnswmap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A process's memory from Linux {@code /proc/self/smaps}: RSS, PSS (each shared page divided by the
 * number of processes mapping it) and USS (private pages), for the whole process and for the
 * mappings of files under one directory. Stateless.
 */
final class Smaps {

    private Smaps() {}

    /** Sums in kB: rss, pss, private (USS), shared. */
    record Totals(long rssKb, long pssKb, long privateKb, long sharedKb) {
        Totals plus(String key, long kb) {
            return switch (key) {
                case "Rss:" -> new Totals(rssKb + kb, pssKb, privateKb, sharedKb);
                case "Pss:" -> new Totals(rssKb, pssKb + kb, privateKb, sharedKb);
                case "Private_Clean:", "Private_Dirty:" ->
                        new Totals(rssKb, pssKb, privateKb + kb, sharedKb);
                case "Shared_Clean:", "Shared_Dirty:" ->
                        new Totals(rssKb, pssKb, privateKb, sharedKb + kb);
                default -> this;
            };
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "RSS %.1f MB, PSS %.1f MB, USS %.1f MB, shared %.1f MB",
                    rssKb / 1024.0,
                    pssKb / 1024.0,
                    privateKb / 1024.0,
                    sharedKb / 1024.0);
        }
    }

    /** "process: ...; index files: ..." for this process, or why it cannot be read. */
    static String summary(Path indexDir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        } catch (IOException e) {
            return "smaps unavailable (" + e.getMessage() + ")";
        }
        String prefix = indexDir.toAbsolutePath().toString();
        Totals all = new Totals(0, 0, 0, 0);
        Totals index = new Totals(0, 0, 0, 0);
        boolean inIndex = false;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].contains("-") && !f[0].endsWith(":")) {
                inIndex = f.length >= 6 && f[5].startsWith(prefix);
                continue;
            }
            if (f.length == 3 && f[2].equals("kB")) {
                long kb = Long.parseLong(f[1]);
                all = all.plus(f[0], kb);
                if (inIndex) {
                    index = index.plus(f[0], kb);
                }
            }
        }
        return "process " + all + "; index mappings " + index;
    }
}
