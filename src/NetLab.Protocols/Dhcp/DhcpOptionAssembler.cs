namespace NetLab.Protocols.Dhcp;

/// <summary>Option framing across the areas of a message: RFC 3396 splitting and joining, RFC 2132 9.3 overload.</summary>
internal static class DhcpOptionAssembler
{
    private const int MaxInstanceLength = 255;

    /// <summary>Octets one option takes once split into instances of at most 255 data octets.</summary>
    public static int EncodedLength(int dataLength)
    {
        int instances = Math.Max(1, (dataLength + MaxInstanceLength - 1) / MaxInstanceLength);
        return dataLength + (2 * instances);
    }

    /// <summary>RFC 3396 5: an option too long for one instance goes out as consecutive instances of the same code.</summary>
    public static int WriteSplit(Span<byte> destination, DhcpOption option)
    {
        var data = option.Data.Span;
        int position = 0;
        do
        {
            int chunk = Math.Min(data.Length, MaxInstanceLength);
            destination[position] = (byte)option.Code;
            destination[position + 1] = (byte)chunk;
            data[..chunk].CopyTo(destination[(position + 2)..]);
            position += 2 + chunk;
            data = data[chunk..];
        }
        while (!data.IsEmpty);
        return position;
    }

    /// <summary>Collects the instances of every option in the order RFC 3396 6 gives (options field, then
    /// file, then sname when overloaded) and joins instances of the same code.</summary>
    public static bool TryReadOptions(ReadOnlySpan<byte> buffer, DhcpMessage message, out string? error)
    {
        var instances = new List<(byte Code, int Offset, int Length)>();
        if (!TryCollect(buffer, DhcpMessageView.OptionsOffset, buffer.Length - DhcpMessageView.OptionsOffset, "options", instances, out bool sawEnd, out error))
        {
            return false;
        }
        if (!sawEnd)
        {
            // RFC 2131 4.1 / RFC 2132 3.2: the options field ends with End; without it the message was cut short.
            error = "the options field has no End option (truncated message?)";
            return false;
        }
        var overload = DhcpOverloadedFields.None;
        int overloadIndex = instances.FindIndex(i => i.Code == (byte)DhcpOptionCode.OptionOverload);
        if (overloadIndex >= 0)
        {
            var (_, offset, length) = instances[overloadIndex];
            if (length != 1 || buffer[offset] is 0 or > 3)
            {
                error = "option 52 (overload) must be one octet 1, 2 or 3";
                return false;
            }
            overload = (DhcpOverloadedFields)buffer[offset];
            instances.RemoveAll(i => i.Code == (byte)DhcpOptionCode.OptionOverload);
            if (overload.HasFlag(DhcpOverloadedFields.File) &&
                !TryCollect(buffer, DhcpMessageView.FileOffset, DhcpMessageView.FileLength, "file", instances, out _, out error))
            {
                return false;
            }
            if (overload.HasFlag(DhcpOverloadedFields.ServerName) &&
                !TryCollect(buffer, DhcpMessageView.ServerNameOffset, DhcpMessageView.ServerNameLength, "sname", instances, out _, out error))
            {
                return false;
            }
            // The fields held options, not a server or file name.
            if (overload.HasFlag(DhcpOverloadedFields.File))
            {
                Array.Clear(message.FileField);
            }
            if (overload.HasFlag(DhcpOverloadedFields.ServerName))
            {
                Array.Clear(message.ServerNameField);
            }
        }
        message.SetOverloadedFields(overload);
        Join(buffer, instances, message.Options);
        error = null;
        return true;
    }

    private static bool TryCollect(ReadOnlySpan<byte> buffer, int start, int length, string area,
        List<(byte Code, int Offset, int Length)> instances, out bool sawEnd, out string? error)
    {
        var reader = new DhcpOptionReader(buffer.Slice(start, length));
        while (reader.TryReadNext(out var code, out var data))
        {
            instances.Add(((byte)code, start + reader.DataOffset, data.Length));
        }
        sawEnd = reader.SawEnd;
        error = reader.Malformed ? $"an option in the {area} area runs past its end" : null;
        return !reader.Malformed;
    }

    private static void Join(ReadOnlySpan<byte> buffer, List<(byte Code, int Offset, int Length)> instances, List<DhcpOption> options)
    {
        var seen = new bool[256];
        foreach (var (code, _, _) in instances)
        {
            if (seen[code])
            {
                continue;
            }
            seen[code] = true;
            int total = 0;
            foreach (var instance in instances)
            {
                if (instance.Code == code)
                {
                    total += instance.Length;
                }
            }
            var data = new byte[total];
            int position = 0;
            foreach (var instance in instances)
            {
                if (instance.Code == code)
                {
                    buffer.Slice(instance.Offset, instance.Length).CopyTo(data.AsSpan(position));
                    position += instance.Length;
                }
            }
            options.Add(new DhcpOption((DhcpOptionCode)code, data));
        }
    }
}
