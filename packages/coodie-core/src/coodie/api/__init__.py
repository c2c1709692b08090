"""What ``coodie.aio`` and ``coodie.sync`` share: the Document and QuerySet bases, the batch
base, and the runners that drive sans-I/O operations with a sync or an async driver."""
