namespace NetLab.Protocols.Dhcp;

/// <summary>How an option's data is laid out, so generic code (the sniffer, the codec's typed
/// accessors) can decode any option RFC 2132 defines without a class per code.</summary>
public enum DhcpOptionFormat
{
    /// <summary>Opaque bytes (unknown options, client identifier, vendor-specific data).</summary>
    Raw,
    /// <summary>Exactly one IPv4 address.</summary>
    Address,
    /// <summary>One or more IPv4 addresses (length a non-zero multiple of 4).</summary>
    Addresses,
    /// <summary>Pairs of IPv4 addresses (length a non-zero multiple of 8).</summary>
    AddressPairs,
    Byte,
    /// <summary>A boolean as one byte 0 or 1.</summary>
    Flag,
    UInt16,
    /// <summary>A list of 16-bit values (path MTU plateau table).</summary>
    UInt16List,
    UInt32,
    Int32,
    /// <summary>NVT ASCII text (RFC 2132 says no terminating NUL; a trailing one is tolerated on read).</summary>
    Text,
    /// <summary>A list of option codes (parameter request list).</summary>
    OptionCodes,
    MessageType,
}

public static class DhcpOptionFormats
{
    private static readonly DhcpOptionFormat[] Formats = Build();

    public static DhcpOptionFormat Of(DhcpOptionCode code) => Formats[(byte)code];

    /// <summary>Whether data of this length is valid for the format (RFC 2132 gives the lengths).</summary>
    public static bool IsValidLength(DhcpOptionFormat format, int length) => format switch
    {
        DhcpOptionFormat.Address => length == 4,
        DhcpOptionFormat.Addresses => length > 0 && length % 4 == 0,
        DhcpOptionFormat.AddressPairs => length > 0 && length % 8 == 0,
        DhcpOptionFormat.Byte or DhcpOptionFormat.Flag or DhcpOptionFormat.MessageType => length == 1,
        DhcpOptionFormat.UInt16 => length == 2,
        DhcpOptionFormat.UInt16List => length > 0 && length % 2 == 0,
        DhcpOptionFormat.UInt32 or DhcpOptionFormat.Int32 => length == 4,
        DhcpOptionFormat.Text or DhcpOptionFormat.OptionCodes => length > 0,
        _ => true,
    };

    private static DhcpOptionFormat[] Build()
    {
        var formats = new DhcpOptionFormat[256];
        void Set(DhcpOptionFormat format, params DhcpOptionCode[] codes)
        {
            foreach (var code in codes)
            {
                formats[(byte)code] = format;
            }
        }
        Set(DhcpOptionFormat.Address, DhcpOptionCode.SubnetMask, DhcpOptionCode.SwapServer, DhcpOptionCode.BroadcastAddress,
            DhcpOptionCode.RouterSolicitationAddress, DhcpOptionCode.RequestedIPAddress, DhcpOptionCode.ServerIdentifier);
        Set(DhcpOptionFormat.Addresses, DhcpOptionCode.Router, DhcpOptionCode.TimeServer, DhcpOptionCode.NameServer,
            DhcpOptionCode.DomainNameServer, DhcpOptionCode.LogServer, DhcpOptionCode.CookieServer, DhcpOptionCode.LprServer,
            DhcpOptionCode.ImpressServer, DhcpOptionCode.ResourceLocationServer, DhcpOptionCode.NisServers, DhcpOptionCode.NtpServers,
            DhcpOptionCode.NetBiosNameServer, DhcpOptionCode.NetBiosDatagramDistributionServer, DhcpOptionCode.XWindowFontServer,
            DhcpOptionCode.XWindowDisplayManager, DhcpOptionCode.NisPlusServers, DhcpOptionCode.SmtpServer, DhcpOptionCode.Pop3Server,
            DhcpOptionCode.NntpServer, DhcpOptionCode.WwwServer, DhcpOptionCode.FingerServer, DhcpOptionCode.IrcServer,
            DhcpOptionCode.StreetTalkServer, DhcpOptionCode.StreetTalkDirectoryAssistanceServer);
        Set(DhcpOptionFormat.AddressPairs, DhcpOptionCode.PolicyFilter, DhcpOptionCode.StaticRoute);
        Set(DhcpOptionFormat.Flag, DhcpOptionCode.IPForwarding, DhcpOptionCode.NonLocalSourceRouting, DhcpOptionCode.AllSubnetsAreLocal,
            DhcpOptionCode.PerformMaskDiscovery, DhcpOptionCode.MaskSupplier, DhcpOptionCode.PerformRouterDiscovery,
            DhcpOptionCode.TrailerEncapsulation, DhcpOptionCode.EthernetEncapsulation, DhcpOptionCode.TcpKeepaliveGarbage);
        Set(DhcpOptionFormat.Byte, DhcpOptionCode.DefaultIPTtl, DhcpOptionCode.TcpDefaultTtl, DhcpOptionCode.NetBiosNodeType,
            DhcpOptionCode.OptionOverload);
        Set(DhcpOptionFormat.UInt16, DhcpOptionCode.BootFileSize, DhcpOptionCode.MaxDatagramReassemblySize,
            DhcpOptionCode.InterfaceMtu, DhcpOptionCode.MaxMessageSize);
        Set(DhcpOptionFormat.UInt16List, DhcpOptionCode.PathMtuPlateauTable);
        Set(DhcpOptionFormat.UInt32, DhcpOptionCode.PathMtuAgingTimeout, DhcpOptionCode.ArpCacheTimeout,
            DhcpOptionCode.TcpKeepaliveInterval, DhcpOptionCode.LeaseTime, DhcpOptionCode.RenewalTime, DhcpOptionCode.RebindingTime);
        Set(DhcpOptionFormat.Int32, DhcpOptionCode.TimeOffset);
        Set(DhcpOptionFormat.Text, DhcpOptionCode.HostName, DhcpOptionCode.MeritDumpFile, DhcpOptionCode.DomainName,
            DhcpOptionCode.RootPath, DhcpOptionCode.ExtensionsPath, DhcpOptionCode.NisDomain, DhcpOptionCode.NetBiosScope,
            DhcpOptionCode.Message, DhcpOptionCode.VendorClassIdentifier, DhcpOptionCode.NisPlusDomain,
            DhcpOptionCode.TftpServerName, DhcpOptionCode.BootFileName);
        Set(DhcpOptionFormat.OptionCodes, DhcpOptionCode.ParameterRequestList);
        Set(DhcpOptionFormat.MessageType, DhcpOptionCode.MessageType);
        return formats;
    }
}
