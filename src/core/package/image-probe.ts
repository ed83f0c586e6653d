import type { DiskFormat } from '../../plugin-api/index.js';

const HEAD_BYTES = 512;
const TAIL_BYTES = 512;

function startsWith(buffer: Buffer, text: string, offset = 0): boolean {
  return buffer.length >= offset + text.length && buffer.toString('latin1', offset, offset + text.length) === text;
}

/** The disk formats whose first bytes identify them. */
function formatFromHead(head: Buffer): DiskFormat | undefined {
  if (startsWith(head, 'QFI\xfb')) return 'qcow2';
  if (startsWith(head, 'vhdxfile')) return 'vhdx';
  if (head.length >= 0x44 && head.readUInt32LE(0x40) === 0xbeda107f) return 'vdi';
  if (startsWith(head, 'KDMV') || startsWith(head, '# Disk DescriptorFile')) return 'vmdk';
  if (startsWith(head, 'conectix')) return 'vhd';
  return undefined;
}

/**
 * Checks, from its first and last bytes, that a disk image is in the format workspace.json
 * declares: a hypervisor told the wrong format misreads the disk, and a "raw" image that is
 * really a qcow2 could make QEMU open a backing file of the image's choosing.
 */
export class ImageProbe {
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    // Copied: the chunk's memory may be reused once this returns.
    this.tail = Buffer.from(chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES));
  }

  /** Enough bytes arrived to judge every format but vhd (whose footer is at the end). */
  get headReady(): boolean {
    return this.head.length >= HEAD_BYTES;
  }

  /** The problem the first bytes already show, so a wrong image is refused before it is all read. */
  headMismatch(declared: DiskFormat): string | undefined {
    return declared === 'vhd' ? undefined : this.mismatch(declared);
  }

  /** The problem, or undefined when the bytes agree with the declared format. */
  mismatch(declared: DiskFormat): string | undefined {
    const found = formatFromHead(this.head);
    if (declared === 'raw') return found ? `image.format says raw but the image is a ${found} image` : undefined;
    if (declared === 'vhd') {
      // A fixed VHD has its only "conectix" footer in the last 512 (or, from old tools, 511) bytes.
      const footer = startsWith(this.tail, 'conectix') || startsWith(this.tail, 'conectix', 1);
      return found === 'vhd' || footer ? undefined : 'image.format says vhd but the image has no VHD footer ("conectix")';
    }
    if (found === declared) return undefined;
    return `image.format says ${declared} but the image ${found ? `is a ${found} image` : `does not start like a ${declared} image`}`;
  }
}
