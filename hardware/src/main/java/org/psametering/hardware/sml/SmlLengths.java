package org.psametering.hardware.sml;

import java.io.IOException;

/**
 * Checks, before jSML decodes an SML file, that every length and list count its type-length fields declare fits in
 * the file. jSML 1.1.2 allocates an octet string's array from the declared length before reading it, so a 75-byte
 * telegram declaring a 256 MiB string ran the meter out of memory (found by SmlTelegramFuzzTest).
 *
 * <p>SML is self-describing: each element starts with a type-length field (bit 7: another length byte follows, bits
 * 6-4: type, bits 3-0: length nibble). For a list, the length is its element count and the elements follow; for every
 * other type it is the element's size including the type-length bytes. jSML walks the file in exactly this order, so
 * walking it here visits every length jSML will allocate by.
 */
final class SmlLengths {

    private static final int TYPE_LIST = 7;

    private SmlLengths() {
    }

    /** @throws IOException naming the offset of the first declared length that does not fit */
    static void check(byte[] file) throws IOException {
        int pos = 0;
        while (pos < file.length) {
            int start = pos;
            int first = file[pos++] & 0xFF;
            int type = (first >> 4) & 0x7;
            long length = first & 0xF;
            int b = first;
            while ((b & 0x80) != 0) {
                if (pos == file.length) {
                    throw new IOException("SML type-length field at offset " + start + " is cut off");
                }
                b = file[pos++] & 0xFF;
                length = (length << 4) | (b & 0xF);
                if (length > file.length) { // also stops the shifts long before they could overflow
                    throw tooLong(start, length, file.length);
                }
            }
            int remaining = file.length - pos;
            if (type == TYPE_LIST) {
                if (length > remaining) { // every element takes at least one byte
                    throw new IOException("SML list at offset " + start + " declares " + length + " elements but only "
                            + remaining + " bytes follow");
                }
            } else if (first != 0x00) { // 0x00 ends a message (and pads the file): nothing follows it
                int typeLengthBytes = pos - start;
                if (length < typeLengthBytes || length - typeLengthBytes > remaining) {
                    throw tooLong(start, length, file.length);
                }
                pos = start + (int) length;
            }
        }
    }

    private static IOException tooLong(int offset, long length, int fileLength) {
        return new IOException("SML element at offset " + offset + " declares length " + length
                + ", which does not fit in the " + fileLength + "-byte file");
    }
}
