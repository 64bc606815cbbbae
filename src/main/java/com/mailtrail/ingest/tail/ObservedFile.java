package com.mailtrail.ingest.tail;

import java.nio.file.Path;

/**
 * A file as one look at the directory found it. device and inode are null where the file system does not tell them;
 * then a file is known by its name alone.
 */
record ObservedFile(Path path, String name, Long device, Long inode, long size) {

    boolean sameIdentity(Long otherDevice, Long otherInode) {
        return device != null && inode != null && device.equals(otherDevice) && inode.equals(otherInode);
    }

    boolean hasIdentity() {
        return device != null && inode != null;
    }
}
