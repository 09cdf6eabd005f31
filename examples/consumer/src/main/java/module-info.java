/** The example application, as a module: it needs only the engine's module. */
module org.hnswmap.example {
    requires org.hnswmap.engine;

    exports org.hnswmap.example;
}
