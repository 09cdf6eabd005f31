package org.hnswmap.index;

import org.junit.jupiter.api.function.Executable;

/** Lets tests of other packages share {@link ErrorsTest#expect}. */
public final class ErrorsTestAccess {

    private ErrorsTestAccess() {}

    public static <T extends Throwable> void expect(
            Class<T> type, String messagePart, Executable call) {
        ErrorsTest.expect(type, messagePart, call);
    }
}
