package dev.sigil.bpf.loader;

import dev.sigil.bpf.sys.Fd;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The programs and maps a loader created, by skeleton name, owned until closed. */
public record LoadedObjects(Map<String, Fd> programs, Map<String, Fd> maps) implements AutoCloseable {

    public LoadedObjects {
        programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
    }

    @Override
    public void close() {
        programs.values().forEach(Fd::close);
        maps.values().forEach(Fd::close);
    }
}
