package org.hnswmap.tools;

import java.util.Locale;

/**
 * A minimal JSON writer for flat reports: objects, arrays, strings, numbers (NaN and infinities
 * become null), booleans and null. Not thread-safe; one instance per document.
 */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    Json open(char bracket) {
        comma();
        out.append(bracket);
        needComma = false;
        return this;
    }

    Json close(char bracket) {
        out.append(bracket);
        needComma = true;
        return this;
    }

    Json key(String name) {
        comma();
        quote(name);
        out.append(':');
        needComma = false;
        return this;
    }

    Json field(String name, Object value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else if (value instanceof Double d) {
            out.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            quote(value.toString());
        }
        needComma = true;
        return this;
    }

    /** A string element of an array. */
    Json value(String value) {
        comma();
        quote(value);
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void quote(String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
