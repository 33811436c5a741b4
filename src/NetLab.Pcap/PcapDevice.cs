using System.Net;
using System.Net.Sockets;
using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>An address of an interface, with its netmask and broadcast address when it has them.</summary>
public sealed record PcapAddress(IPAddress Address, IPAddress? Netmask, IPAddress? Broadcast);

/// <summary>An interface libpcap can capture on.</summary>
public sealed record PcapDeviceInfo(string Name, string? Description, IReadOnlyList<PcapAddress> Addresses, bool IsUp, bool IsRunning, bool IsLoopback)
{
    public IReadOnlyList<IPAddress> IPv4Addresses =>
        Addresses.Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
}

/// <summary>Lists capture devices (pcap_findalldevs) of the calling thread's network namespace.</summary>
public static class PcapDevice
{
    /// <summary>Linux address families in struct sockaddr.</summary>
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    public static unsafe IReadOnlyList<PcapDeviceInfo> List()
    {
        PcapNative.EnsureLoaded();
        byte* errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        if (PcapNative.FindAllDevices(out var first, errorBuffer) != 0)
        {
            throw new PcapException(PcapErrorKind.Other,
                "listing capture interfaces failed: " + PcapNative.ErrorText(errorBuffer));
        }
        try
        {
            var devices = new List<PcapDeviceInfo>();
            for (var device = first; device != null; device = device->Next)
            {
                var addresses = new List<PcapAddress>();
                for (var entry = device->Addresses; entry != null; entry = entry->Next)
                {
                    if (ToIPAddress(entry->Address) is { } address)
                    {
                        addresses.Add(new PcapAddress(address, ToIPAddress(entry->Netmask), ToIPAddress(entry->Broadcast)));
                    }
                }
                string? description = device->Description == null ? null : PcapNative.StaticText(device->Description);
                uint flags = device->Flags;
                devices.Add(new PcapDeviceInfo(PcapNative.StaticText(device->Name), description, addresses,
                    IsUp: (flags & PcapNative.InterfaceUp) != 0,
                    IsRunning: (flags & PcapNative.InterfaceRunning) != 0,
                    IsLoopback: (flags & PcapNative.InterfaceLoopback) != 0));
            }
            return devices;
        }
        finally
        {
            PcapNative.FreeAllDevices(first);
        }
    }

    /// <summary>struct sockaddr_in (family, port, 4-byte address) or sockaddr_in6 (family, port, flowinfo,
    /// 16-byte address, scope id); other families (AF_PACKET) are skipped.</summary>
    private static unsafe IPAddress? ToIPAddress(byte* sockaddr)
    {
        if (sockaddr == null)
        {
            return null;
        }
        // sa_family and sin6_scope_id are in host byte order.
        ushort family = *(ushort*)sockaddr;
        return family switch
        {
            AfInet => new IPAddress(new ReadOnlySpan<byte>(sockaddr + 4, 4)),
            AfInet6 => new IPAddress(new ReadOnlySpan<byte>(sockaddr + 8, 16), *(uint*)(sockaddr + 24)),
            _ => null,
        };
    }
}
