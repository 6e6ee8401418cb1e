package dev.sigil.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The primary interface from routing tables as procfs prints them (rows copied from real hosts). */
class RouteTableTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    @Test
    void theIpv4DefaultRouteNamesThePrimaryInterface() {
        assertThat(RouteTable.ipv4Default(List.of(HEADER,
                "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "ens5\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0"))).contains("ens5");
    }

    @Test
    void amongSeveralDefaultRoutesTheLowestMetricWinsAsInTheKernel() {
        assertThat(RouteTable.ipv4Default(List.of(HEADER,
                "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
                "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0"))).contains("eth0");
    }

    @Test
    void aRouteThatIsDownOrOnlyLooksLikeADefaultIsNoPrimaryInterface() {
        assertThat(RouteTable.ipv4Default(List.of(HEADER,
                "eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0",
                "eth1\t00000000\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0",
                "garbage"))).isEmpty();
        assertThat(RouteTable.ipv4Default(List.of(HEADER))).isEmpty();
        assertThat(RouteTable.ipv4Default(List.of())).isEmpty();
    }

    @Test
    void ipv6DefaultRoutesCountAndTheUnreachableOneThroughLoopbackDoesNot() {
        String any = "00000000000000000000000000000000";
        assertThat(RouteTable.ipv6Default(List.of(
                "fd000000000000000000000000000000 40 " + any + " 00 " + any + " 00000100 00000001 00000000 00000001     eth0",
                any + " 00 " + any + " 00 " + any + " ffffffff 00000001 00000000 00200200       lo",
                any + " 00 " + any + " 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     ens6")))
                .contains("ens6");
        assertThat(RouteTable.ipv6Default(List.of(
                any + " 00 " + any + " 00 " + any + " ffffffff 00000001 00000000 00200200       lo"))).isEmpty();
    }

    @Test
    void interfacesAreTheNamesOfProcNetDevRowsSorted() {
        assertThat(RouteTable.devices(List.of(
                "Inter-|   Receive                            |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets",
                "    lo:  123       4    0    0    0     0          0         0      123       4",
                "veth-a.100: 0 0 0 0 0 0 0 0 0 0",
                "  eth0: 9 9 9 9 9 9 9 9 9 9",
                "garbage without a colon")))
                .containsExactly("eth0", "lo", "veth-a.100");
        assertThat(RouteTable.interfaces()).as("this machine's namespace has a loopback").contains("lo");
    }
}
