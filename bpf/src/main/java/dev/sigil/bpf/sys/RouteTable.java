package dev.sigil.bpf.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kernel's interfaces and routing tables as procfs prints them for the calling thread's network namespace
 * ({@code /proc/thread-self/net/route} and {@code ipv6_route}; the thread, not the process, because a thread
 * of the agent may have entered another namespace). The node's primary interface is the one that holds the
 * default route: IPv4 first, else IPv6; among several, the lowest metric wins, as it does in the kernel.
 */
final class RouteTable {
    private static final Path IPV4 = Path.of("/proc/thread-self/net/route");
    private static final Path IPV6 = Path.of("/proc/thread-self/net/ipv6_route");
    /** One row per interface of the namespace, {@code NAME: counters...}, under two header lines. */
    private static final Path DEVICES = Path.of("/proc/thread-self/net/dev");
    /** {@code RTF_UP}: the route is usable. */
    private static final long ROUTE_UP = 0x1;
    /** {@code RTF_REJECT}: an unreachable route, e.g. IPv6's default through {@code lo} on a host without one. */
    private static final long ROUTE_REJECT = 0x200;
    private static final Pattern FIELDS = Pattern.compile("\\s+");
    private static final String ANY_IPV6 = "0".repeat(32);

    private record DefaultRoute(String device, long metric) {
    }

    private RouteTable() {
    }

    static Optional<String> defaultRouteInterface() {
        return ipv4Default(read(IPV4)).or(() -> ipv6Default(read(IPV6)));
    }

    /** The names of the calling thread's namespace's interfaces, sorted: one procfs read, no syscall per interface. */
    static List<String> interfaces() {
        return devices(read(DEVICES));
    }

    static List<String> devices(List<String> lines) {
        return lines.stream().skip(2).filter(line -> line.indexOf(':') > 0)
                .map(line -> line.substring(0, line.indexOf(':')).strip()).sorted().toList();
    }

    /** Rows of {@code Iface Destination Gateway Flags RefCnt Use Metric Mask ...} under one header line. */
    static Optional<String> ipv4Default(List<String> lines) {
        return lines.stream().skip(1).map(line -> FIELDS.split(line.strip()))
                .filter(row -> row.length >= 8 && hex(row[1]) == 0 && hex(row[7]) == 0 && usable(hex(row[3])))
                .map(row -> new DefaultRoute(row[0], hex(row[6])))
                .min(Comparator.comparingLong(DefaultRoute::metric)).map(DefaultRoute::device);
    }

    /** Rows of {@code dest dest_plen src src_plen next_hop metric refcnt use flags device}, no header. */
    static Optional<String> ipv6Default(List<String> lines) {
        return lines.stream().map(line -> FIELDS.split(line.strip()))
                .filter(row -> row.length >= 10 && row[0].equals(ANY_IPV6) && hex(row[1]) == 0 && usable(hex(row[8])))
                .map(row -> new DefaultRoute(row[9], hex(row[5])))
                .min(Comparator.comparingLong(DefaultRoute::metric)).map(DefaultRoute::device);
    }

    private static boolean usable(long flags) {
        return (flags & ROUTE_UP) != 0 && (flags & ROUTE_REJECT) == 0;
    }

    private static long hex(String field) {
        try {
            return Long.parseUnsignedLong(field, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A kernel without IPv6 has no {@code ipv6_route}: no IPv6 routes. */
    private static List<String> read(Path table) {
        try {
            return Files.readAllLines(table);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table, e);
        }
    }
}
