package org.hnswmap.spark;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.InvalidVectorException;

/**
 * Reads the vector column of a row as {@code float[]}, whichever of the three accepted types it
 * has: {@code array<float>}, {@code array<double>} (narrowed) or Spark ML's {@code Vector}. Null
 * vectors, null or non-finite components are refused here, naming the row's id, before the engine
 * sees them.
 */
final class VectorColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind {
        FLOATS,
        DOUBLES,
        ML_VECTOR
    }

    private final String name;
    private final int index;
    private final Kind kind;

    private VectorColumn(String name, int index, Kind kind) {
        this.name = name;
        this.index = index;
        this.kind = kind;
    }

    /** The vector column {@code name} of {@code schema}, or an error naming its type. */
    static VectorColumn of(StructType schema, String name) {
        int index = fieldIndex(schema, name, "features");
        DataType type = schema.fields()[index].dataType();
        Kind kind;
        if (type instanceof VectorUDT) {
            kind = Kind.ML_VECTOR;
        } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
            kind = Kind.FLOATS;
        } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
            kind = Kind.DOUBLES;
        } else {
            throw new IllegalParameterException(
                    "the features column '"
                            + name
                            + "' is "
                            + type.simpleString()
                            + ": vectors must be array<float>, array<double> or an ML Vector");
        }
        return new VectorColumn(name, index, kind);
    }

    /** The index of column {@code name}, or an error naming the role and the columns there are. */
    static int fieldIndex(StructType schema, String name, String role) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(name)) {
                return i;
            }
        }
        throw new IllegalParameterException(
                "the "
                        + role
                        + " column '"
                        + name
                        + "' is not in the data; its columns are "
                        + String.join(", ", schema.fieldNames()));
    }

    /** The row's vector; {@code id} names the row in errors. */
    float[] read(Row row, Object id) {
        if (row.isNullAt(index)) {
            throw new InvalidVectorException("the vector of id " + id + " is null");
        }
        float[] v;
        switch (kind) {
            case ML_VECTOR -> {
                Vector vector = (Vector) row.get(index);
                v = new float[vector.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) vector.apply(i);
                }
            }
            case FLOATS -> {
                scala.collection.Seq<Object> seq = row.getSeq(index);
                v = new float[seq.size()];
                for (int i = 0; i < v.length; i++) {
                    Object x = seq.apply(i);
                    if (x == null) {
                        throw nullComponent(id, i);
                    }
                    v[i] = (Float) x;
                }
            }
            default -> {
                scala.collection.Seq<Object> seq = row.getSeq(index);
                v = new float[seq.size()];
                for (int i = 0; i < v.length; i++) {
                    Object x = seq.apply(i);
                    if (x == null) {
                        throw nullComponent(id, i);
                    }
                    v[i] = (float) (double) (Double) x;
                }
            }
        }
        if (v.length == 0) {
            throw new InvalidVectorException("the vector of id " + id + " is empty");
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InvalidVectorException(
                        "the vector of id "
                                + id
                                + " has "
                                + v[i]
                                + " at component "
                                + i
                                + " (in float32): vectors must be finite");
            }
        }
        return v;
    }

    private InvalidVectorException nullComponent(Object id, int i) {
        return new InvalidVectorException(
                "the vector of id " + id + " has a null at component " + i + " of '" + name + "'");
    }
}
