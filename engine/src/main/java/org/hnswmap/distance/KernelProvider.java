package org.hnswmap.distance;

import java.lang.System.Logger.Level;
import java.util.Locale;
import org.hnswmap.error.IllegalParameterException;

/**
 * Chooses the {@link DistanceKernels} once per JVM, like Lucene's {@code VectorizationProvider}.
 *
 * <p>The system property {@value #KERNEL_PROP_NAME} selects: {@code auto} (default: SIMD when the
 * {@code jdk.incubator.vector} module is present and the CPU has vectors of at least 128 bits,
 * otherwise scalar with a log line naming the missing flag), {@code simd} (SIMD or fail) or {@code
 * scalar}. {@link #kernels()} returns the choice; its {@link DistanceKernels#name()} tells which.
 *
 * <p>Thread-safe: the choice is made in the class initializer.
 */
public final class KernelProvider {

    public static final String KERNEL_PROP_NAME = "hnswmap.distance.kernel";
    public static final String KERNEL_DEFAULT = "auto";
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger(KernelProvider.class.getName());
    private static final DistanceKernels KERNELS =
            choose(System.getProperty(KERNEL_PROP_NAME, KERNEL_DEFAULT));

    private KernelProvider() {}

    /** The kernels this JVM uses. */
    public static DistanceKernels kernels() {
        return KERNELS;
    }

    /** The scalar kernels, whatever the choice (for differential tests and benchmarks). */
    public static DistanceKernels scalar() {
        return new ScalarKernels();
    }

    /**
     * The SIMD kernels, whatever the choice.
     *
     * @throws IllegalParameterException when the {@code jdk.incubator.vector} module is not loaded
     *     (the JVM flag is missing)
     */
    public static DistanceKernels simd() {
        if (!vectorModulePresent()) {
            throw new IllegalParameterException(
                    "SIMD kernels need the JVM flag --add-modules=" + VECTOR_MODULE);
        }
        try {
            return (DistanceKernels)
                    Class.forName("org.hnswmap.distance.PanamaKernels")
                            .getDeclaredConstructor()
                            .newInstance();
        } catch (ReflectiveOperationException e) {
            // The class is in this jar: failing to load it is a broken build, not bad input.
            throw new LinkageError("cannot load the SIMD kernels", e);
        }
    }

    static DistanceKernels choose(String requested) {
        switch (requested.toLowerCase(Locale.ROOT)) {
            case "scalar":
                return scalar();
            case "simd":
                return simd();
            case "auto":
                return auto();
            default:
                throw new IllegalParameterException(
                        KERNEL_PROP_NAME
                                + " must be auto, simd or scalar, not '"
                                + requested
                                + "'");
        }
    }

    private static DistanceKernels auto() {
        if (!vectorModulePresent()) {
            LOG.log(
                    Level.INFO,
                    "hnswmap: scalar distance kernels; add the JVM flag --add-modules="
                            + VECTOR_MODULE
                            + " for SIMD");
            return scalar();
        }
        DistanceKernels simd = simd();
        if (!simd.name().startsWith("panama-") || simd.name().equals("panama-64")) {
            return scalar();
        }
        return simd;
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }
}
