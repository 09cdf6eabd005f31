package org.hnswmap.spark.example

import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.{col, size}
import org.hnswmap.spark.{HnswmapSimilarity, HnswmapSimilarityModel}

/** README "On Spark", the Scala example: each item's 10 nearest other items. */
object ScalaQuickStart {
  def run(items: DataFrame, indexPath: String): DataFrame = {
    // README snippet start
    val model: HnswmapSimilarityModel = new HnswmapSimilarity()
      .setIdentifierCol("id")
      .setQueryIdentifierCol("id")
      .setFeaturesCol("features")
      .setDistanceFunction("cosine")
      .setNumPartitions(4)
      .setK(10)
      .setExcludeSelf(true) // an item is not its own neighbour
      .setIndexPath(indexPath)
      .fit(items)

    val similar = model.setEf(64).transform(items)
      .select(col("id"), col("prediction.neighbor").as("neighbors"))
    similar.where(size(col("neighbors")) =!= 10).count() // 0
    // README snippet end
    similar
  }
}
