package com.mailtrail.ingest.tail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finding files: the regular files of a directory whose names match the patterns, with their identity. Not final:
 * the tests deny a listing as a permission would, which does not stop them when they run as root.
 */
class FileFinder {

    private final List<PathMatcher> patterns;

    FileFinder(List<String> patterns) {
        this.patterns = patterns.stream().map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
    }

    List<ObservedFile> find(Path dir) throws IOException {
        return list(dir, true);
    }

    /**
     * Every regular file of the directory, whatever its name: where a followed file that left its name is looked for
     * by its identity. Only the directory itself, not its subdirectories; and only when a followed file is missing,
     * since a log directory may hold thousands of other files.
     */
    List<ObservedFile> all(Path dir) throws IOException {
        return list(dir, false);
    }

    private List<ObservedFile> list(Path dir, boolean matchingOnly) throws IOException {
        List<ObservedFile> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> !matchingOnly || matches(p.getFileName()))) {
            for (Path p : entries) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                    if (!attrs.isRegularFile()) {
                        continue;
                    }
                    Long[] id = identity(p);
                    out.add(new ObservedFile(p, p.getFileName().toString(), id[0], id[1], attrs.size()));
                } catch (NoSuchFileException e) {
                    // renamed or removed since the listing; the next look finds it where it went
                }
            }
        }
        out.sort(Comparator.comparing(ObservedFile::name));
        return out;
    }

    boolean matches(Path name) {
        for (PathMatcher m : patterns) {
            if (m.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {device, inode} of the file the name leads to, or nulls where the file system has no unix view (then names
     * identify files). A symbolic link is known by the file it points to, as it is read: a link repointed at a new
     * dated file is then a new file, and the old one is found under its own name. The link's own inode said nothing
     * of what was read through it, and a link made again got the freed number back (ext4).
     */
    static Long[] identity(Path p) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
            return new Long[]{((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()};
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return new Long[]{null, null};
        }
    }
}
