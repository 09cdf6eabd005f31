package org.hnswmap.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Query rows as they travel through a search's shuffles: the row's values, with each {@code
 * array<float>} or {@code array<double>} column as a primitive array. An external Row holds such a
 * column as a Scala Seq of boxed numbers, which Java serialization (Spark's default for RDD
 * shuffles) writes one object per component; a primitive array is one write. Restored on the way
 * out as a Seq over the same array, without copying.
 */
final class CompactRows implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean[] floats;
    private final boolean[] doubles;

    CompactRows(StructType schema) {
        int n = schema.fields().length;
        floats = new boolean[n];
        doubles = new boolean[n];
        for (int i = 0; i < n; i++) {
            DataType t = schema.fields()[i].dataType();
            if (t instanceof ArrayType a) {
                floats[i] = a.elementType().equals(DataTypes.FloatType);
                doubles[i] = a.elementType().equals(DataTypes.DoubleType);
            }
        }
    }

    Object[] compact(Row row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = row.get(i);
            if (v instanceof scala.collection.Seq<?> seq && (floats[i] || doubles[i])) {
                v = floats[i] ? toFloats(seq) : toDoubles(seq);
            }
            values[i] = v;
        }
        return values;
    }

    /** The values with the columns restored, and room for {@code extra} more at the end. */
    static Object[] restore(Object[] values, int extra) {
        Object[] out = new Object[values.length + extra];
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof float[] f) {
                v = scala.collection.immutable.ArraySeq.unsafeWrapArray(f);
            } else if (v instanceof double[] d) {
                v = scala.collection.immutable.ArraySeq.unsafeWrapArray(d);
            }
            out[i] = v;
        }
        return out;
    }

    /** The components as floats, or the Seq itself when one is null (kept as it came). */
    private static Object toFloats(scala.collection.Seq<?> seq) {
        float[] out = new float[seq.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(seq.apply(i) instanceof Float f)) {
                return seq;
            }
            out[i] = f;
        }
        return out;
    }

    private static Object toDoubles(scala.collection.Seq<?> seq) {
        double[] out = new double[seq.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(seq.apply(i) instanceof Double d)) {
                return seq;
            }
            out[i] = d;
        }
        return out;
    }
}
