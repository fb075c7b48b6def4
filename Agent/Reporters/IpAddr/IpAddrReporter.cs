using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.IpAddr;

/// <summary>One interface as the reporter sees it: its name and addresses.</summary>
public sealed record InterfaceInfo(string Name, bool IsLoopback, IReadOnlyList<IPAddress> Addresses);

/// <summary>
/// Reporter <c>ipaddr</c>: every address of every interface that is up, loopback interfaces and
/// loopback addresses (127.0.0.0/8, ::1) excluded. Read through .NET's NetworkInterface
/// (netlink on Linux); the interface source is injectable so the shaping is tested on fixed data.
/// </summary>
public sealed class IpAddrReporter(Func<IEnumerable<InterfaceInfo>> interfaces) : IReporter
{
    /// <summary>A reporter over the host's real interfaces.</summary>
    public IpAddrReporter()
        : this(SystemInterfaces)
    {
    }

    /// <inheritdoc />
    public string Name => IpAddrFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var frame = Build(interfaces());
        return frame.IpAddr.Count == 0
            ? ReporterReading.NoData("no non-loopback address on any interface that is up", frame)
            : ReporterReading.Ok(frame);
    }

    /// <summary>Shapes interfaces into a frame: IPv4 before IPv6, interfaces by name, loopback dropped.</summary>
    public static IpAddrFrame Build(IEnumerable<InterfaceInfo> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        var map = new SortedDictionary<string, InterfaceAddresses>(StringComparer.Ordinal);
        foreach (var nic in interfaces)
        {
            if (nic.IsLoopback)
            {
                continue;
            }

            var usable = nic.Addresses.Where(a => !IPAddress.IsLoopback(a)).ToList();
            var v4 = usable.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.ToString()).Distinct().ToList();
            var v6 = usable.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).Select(a => a.ToString()).Distinct().ToList();
            if (v4.Count + v6.Count > 0)
            {
                map[nic.Name] = new InterfaceAddresses { IPv4 = v4, IPv6 = v6 };
            }
        }

        var all = map.Values.SelectMany(i => i.IPv4).Concat(map.Values.SelectMany(i => i.IPv6)).Distinct().ToList();
        return new IpAddrFrame { IpAddr = all, Interfaces = map };
    }

    private static IEnumerable<InterfaceInfo> SystemInterfaces() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .Select(n => new InterfaceInfo(
                n.Name,
                n.NetworkInterfaceType == NetworkInterfaceType.Loopback,
                n.GetIPProperties().UnicastAddresses.Select(u => u.Address).ToList()));
}
