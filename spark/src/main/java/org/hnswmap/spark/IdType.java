package org.hnswmap.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.hnswmap.error.IllegalParameterException;

/**
 * How a sharded index names its elements. {@code LONG} ids (and {@code int} ones, widened) are the
 * shards' labels themselves, so that {@code hnswmap query} on one shard prints them; {@code STRING}
 * ids are kept in a file beside each shard whose labels are ordinals into it.
 */
enum IdType {
    LONG,
    STRING;

    /** The id type of a column, or an error naming the column and its type. */
    static IdType of(String column, DataType type) {
        if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType)) {
            return LONG;
        }
        if (type.equals(DataTypes.StringType)) {
            return STRING;
        }
        throw new IllegalParameterException(
                "the id column '"
                        + column
                        + "' is "
                        + type.simpleString()
                        + ": ids must be long, int or string");
    }

    /** The Spark type of ids in results. */
    DataType sparkType() {
        return this == LONG ? DataTypes.LongType : DataTypes.StringType;
    }
}
