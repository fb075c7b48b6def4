using System.Net;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.IpAddr;

namespace Psistats.UnitTests.Reporters;

public sealed class IpAddrTests
{
    [Fact]
    public void Loopback_is_excluded_and_ipv4_comes_first()
    {
        var frame = IpAddrReporter.Build(
        [
            new InterfaceInfo("lo", true, [IPAddress.Loopback, IPAddress.IPv6Loopback]),
            new InterfaceInfo("eth0", false, [IPAddress.Parse("fd00::2"), IPAddress.Parse("192.0.2.2")]),
            new InterfaceInfo("docker0", false, [IPAddress.Parse("172.17.0.1"), IPAddress.Parse("127.0.0.2")]),
        ]);

        Assert.Equal(["172.17.0.1", "192.0.2.2", "fd00::2"], frame.IpAddr);
        Assert.Equal(["docker0", "eth0"], frame.Interfaces.Keys);
        Assert.Equal(["192.0.2.2"], frame.Interfaces["eth0"].IPv4);
        Assert.Equal(["fd00::2"], frame.Interfaces["eth0"].IPv6);
        Assert.Empty(frame.Interfaces["docker0"].IPv6);
    }

    [Fact]
    public void A_host_with_only_loopback_has_no_data()
    {
        var reporter = new IpAddrReporter(() => [new InterfaceInfo("lo", true, [IPAddress.Loopback])]);

        var reading = reporter.Read();

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.NotNull(reading.Frame);
    }

    [Fact]
    public void The_real_host_never_reports_loopback()
    {
        var frame = Assert.IsType<Psistats.Contracts.Frames.IpAddrFrame>(new IpAddrReporter().Read().Frame);

        Assert.DoesNotContain(frame.IpAddr, a => IPAddress.IsLoopback(IPAddress.Parse(a.Split('%')[0])));
        Assert.DoesNotContain("lo", frame.Interfaces.Keys);
    }
}
