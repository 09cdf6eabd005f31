# Fashion-MNIST to raw float32 files (base.f32, queries.f32) and exact top-10 (gt.i32) for standalone.cpp.
import gzip, numpy as np
def load(p):
    with gzip.open(p) as f:
        d = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return d.reshape(-1, 784).astype(np.float32)
F='/usr/share/datasets/fashion-mnist/'
b = load(F+'train-images-idx3-ubyte.gz'); q = load(F+'t10k-images-idx3-ubyte.gz')
b.tofile('base.f32'); q.tofile('queries.f32')
bn = (b.astype(np.float64)**2).sum(1)
gt = np.empty((len(q),10), dtype=np.int32)
for s in range(0, len(q), 500):
    qq = q[s:s+500].astype(np.float64)
    d = bn[None,:] - 2*qq@b.T.astype(np.float64)
    idx = np.argpartition(d, 10, axis=1)[:, :10]
    gt[s:s+500] = idx
gt.tofile('gt.i32')
print(b.shape, q.shape)
