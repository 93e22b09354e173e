package io.djlgather.ext.reliability;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * A plain-Java array: a dtype, a row-major shape and its values as doubles (exact for the small
 * integers the generator draws). The reference computes on these; {@link #create} turns one
 * into an NDArray.
 */
final class Arr {

    final DataType type;
    final long[] shape;
    final double[] data;

    Arr(DataType type, long[] shape, double[] data) {
        if (data.length != numel(shape)) {
            throw new IllegalStateException(
                    "data length " + data.length + " for shape " + Arrays.toString(shape));
        }
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    int rank() {
        return shape.length;
    }

    long size(int d) {
        return shape[d];
    }

    int numel() {
        return data.length;
    }

    Arr withType(DataType newType) {
        return new Arr(newType, shape, data);
    }

    Arr reshaped(long[] newShape) {
        return new Arr(type, newShape, data);
    }

    static int numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return (int) n;
    }

    /** Row-major strides of a shape. */
    static int[] strides(long[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= (int) shape[d];
        }
        return strides;
    }

    /** The coordinates of flat position {@code flat} in a shape. */
    static int[] coords(long[] shape, int flat) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = (int) (flat % shape[d]);
            flat /= (int) shape[d];
        }
        return c;
    }

    /** The flat position of coordinates in a shape. */
    static int flat(long[] shape, int[] coords) {
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            f = f * (int) shape[d] + coords[d];
        }
        return f;
    }

    /** Makes the NDArray this describes, attached to the manager. */
    NDArray create(NDManager manager) {
        Shape s = new Shape(shape);
        int n = data.length;
        switch (type) {
            case FLOAT32: {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) data[i];
                }
                return manager.create(v, s);
            }
            case FLOAT64:
                return manager.create(data.clone(), s);
            case INT64: {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) data[i];
                }
                return manager.create(v, s);
            }
            case INT32: {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) data[i];
                }
                return manager.create(v, s);
            }
            case INT8: {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (byte) data[i];
                }
                return manager.create(v, s);
            }
            case BOOLEAN: {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data[i] != 0;
                }
                return manager.create(v, s);
            }
            default:
                throw new IllegalStateException("unsupported dtype " + type);
        }
    }

    /** The values of an NDArray of dtype float32, float64, int32 or int64 as doubles. */
    static double[] values(NDArray array) {
        switch (array.getDataType()) {
            case FLOAT32: {
                float[] v = array.toFloatArray();
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                return d;
            }
            case FLOAT64:
                return array.toDoubleArray();
            case INT64: {
                long[] v = array.toLongArray();
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                return d;
            }
            case INT32: {
                int[] v = array.toIntArray();
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                return d;
            }
            default:
                throw new IllegalStateException("unexpected result dtype " + array.getDataType());
        }
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape) + (data.length <= 16 ? Arrays.toString(data) : "");
    }
}
