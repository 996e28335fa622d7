import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';

/**
 * WebSocket frames are MessagePack, with typed arrays as extension types so that big data
 * (spectrogram frames, posteriors, curves) crosses as raw bytes plus its element type, the way
 * Electron's structured clone carries it on the IPC transport.
 */
const TYPED_ARRAYS = [
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint16Array,
  Uint32Array,
  Uint8ClampedArray,
] as const;

type TypedArrayConstructor = (typeof TYPED_ARRAYS)[number];

const codec = new ExtensionCodec();

TYPED_ARRAYS.forEach((Constructor: TypedArrayConstructor, index) => {
  codec.register({
    type: index + 1,
    encode: (value: unknown) =>
      value instanceof Constructor
        ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
        : null,
    decode: (data: Uint8Array) => {
      // Copy into a fresh, aligned buffer: the decoder's view may sit at any offset.
      const bytes = data.slice();
      return new Constructor(bytes.buffer, 0, bytes.byteLength / Constructor.BYTES_PER_ELEMENT);
    },
  });
});

export function encodeFrame(value: unknown): Uint8Array {
  return encode(value, { extensionCodec: codec, ignoreUndefined: true });
}

export function decodeFrame(data: ArrayBuffer | Uint8Array): unknown {
  return decode(data instanceof Uint8Array ? data : new Uint8Array(data), {
    extensionCodec: codec,
  });
}
