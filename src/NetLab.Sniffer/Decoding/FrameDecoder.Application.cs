using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Ftp;
using NetLab.Protocols.Text;

namespace NetLab.Sniffer.Decoding;

public sealed partial class FrameDecoder
{
    private void DecodeDhcp(DecodedFrame frame, int offset, ReadOnlySpan<byte> payload)
    {
        var layer = frame.AddLayer("dhcp", "Dynamic Host Configuration Protocol", offset, payload.Length);
        if (!Detailed && !_summary.Enabled && DhcpMessageView.TryCreate(payload, out var valid) && valid.TryValidate(out _))
        {
            frame.Dhcp = FactsOf(valid);
            return;
        }
        DecodeDhcpMessage(frame, layer, payload);
    }

    private void DecodeDhcpMessage(DecodedFrame frame, Layer layer, ReadOnlySpan<byte> payload)
    {
        _summary.Append("BOOTP/DHCP, ");
        if (!DhcpMessage.TryRead(payload, out var dhcp, out string? error) || dhcp is null)
        {
            // The fixed BOOTP part may still be readable (RFC 951): say who asked even when the options are not.
            if (DhcpMessageView.TryCreate(payload, out var view))
            {
                _summary.Append(view.Operation == DhcpOperation.BootReply ? "Reply" : $"Request from {view.ClientMac}")
                    .Append($", length {payload.Length}, xid 0x{view.TransactionId:x}");
            }
            Broken(frame, layer, DhcpMessageView.FixedLength, error ?? "unreadable");
            return;
        }
        bool reply = dhcp.Operation == DhcpOperation.BootReply;
        string type = MessageTypeName(dhcp.MessageType);
        var mac = dhcp.ClientMac;
        frame.Dhcp = new DhcpFacts(type, reply, dhcp.TransactionId, mac, dhcp.ClientAddress, dhcp.YourAddress,
            dhcp.ServerIdentifier, dhcp.RequestedIPAddress, dhcp.HostName);

        if (reply)
        {
            _summary.Append("Reply");
        }
        else
        {
            _summary.Append($"Request from {mac}");
        }
        _summary.Append($", length {payload.Length}");
        _summary.Append($", xid 0x{dhcp.TransactionId:x}");
        if (dhcp.MessageType is not null)
        {
            _summary.Append(", DHCP ").Append(type);
        }
        if (reply)
        {
            _summary.Append($", to {mac}");
        }
        AppendAddress("ciaddr", dhcp.ClientAddress);
        AppendAddress("yiaddr", dhcp.YourAddress);
        AppendAddress("siaddr", dhcp.ServerAddress);
        AppendAddress("giaddr", dhcp.GatewayAddress);
        if (dhcp.RequestedIPAddress is { } requested)
        {
            _summary.Append($", requested {requested}");
        }
        if (dhcp.ServerIdentifier is { } server)
        {
            _summary.Append($", server-id {server}");
        }

        if (Detailed)
        {
            AddDhcpFields(layer, dhcp);
        }

        void AppendAddress(string name, IPv4Address address)
        {
            if (!address.IsAny)
            {
                _summary.Append($", {name} {address}");
            }
        }
    }

    private static void AddDhcpFields(Layer layer, DhcpMessage dhcp)
    {
        bool reply = dhcp.Operation == DhcpOperation.BootReply;
        var mac = dhcp.ClientMac;
        layer.Add("Message type", $"Boot {(reply ? "Reply" : "Request")} ({(byte)dhcp.Operation})");
        layer.Add("Hardware type", $"{dhcp.HardwareType}");
        layer.Add("Hardware address length", $"{dhcp.HardwareAddressLength}");
        layer.Add("Hops", $"{dhcp.Hops}");
        layer.Add("Transaction ID", $"0x{dhcp.TransactionId:x8}");
        layer.Add("Seconds elapsed", $"{dhcp.Seconds}");
        layer.Add("Flags", $"0x{dhcp.Flags:x4}{(dhcp.Broadcast ? " (broadcast)" : "")}");
        layer.Add("Client IP address (ciaddr)", dhcp.ClientAddress.ToString());
        layer.Add("Your IP address (yiaddr)", dhcp.YourAddress.ToString());
        layer.Add("Next server IP address (siaddr)", dhcp.ServerAddress.ToString());
        layer.Add("Relay agent IP address (giaddr)", dhcp.GatewayAddress.ToString());
        layer.Add("Client MAC address", mac.ToString());
        layer.Add("Server host name", dhcp.ServerName.Length == 0 ? "not given" : dhcp.ServerName);
        layer.Add("Boot file name", dhcp.BootFileName.Length == 0 ? "not given" : dhcp.BootFileName);
        layer.Add("Magic cookie", dhcp.HasMagicCookie ? "DHCP (0x63825363)" : "absent (plain BOOTP)");
        foreach (var option in dhcp.Options)
        {
            string name = Enum.IsDefined(option.Code) ? option.Code.ToString() : "Unknown";
            layer.Add($"Option {(byte)option.Code} {name}", option.FormatValue() + (option.HasValidLength ? "" : " (bad length)"), 1);
        }
    }

    /// <summary>The facts straight from the bytes, when nothing shows the fields (--quiet): the same values
    /// <see cref="DhcpMessage"/> gives (options joined per RFC 3396) without building the message.</summary>
    private static DhcpFacts FactsOf(DhcpMessageView view)
    {
        Span<byte> value = stackalloc byte[256];
        DhcpMessageType? type = view.CopyJoinedOption(DhcpOptionCode.MessageType, value) == 1 ? (DhcpMessageType)value[0] : null;
        IPv4Address? server = view.CopyJoinedOption(DhcpOptionCode.ServerIdentifier, value) == 4 ? IPv4Address.Read(value) : null;
        IPv4Address? requested = view.CopyJoinedOption(DhcpOptionCode.RequestedIPAddress, value) == 4 ? IPv4Address.Read(value) : null;
        int nameLength = view.CopyJoinedOption(DhcpOptionCode.HostName, value);
        if (nameLength > value.Length)
        {
            value = new byte[nameLength];
            view.CopyJoinedOption(DhcpOptionCode.HostName, value);
        }
        string? hostName = nameLength > 0 ? DhcpOption.TextOf(value[..nameLength]) : null;
        return new DhcpFacts(MessageTypeName(type), view.Operation == DhcpOperation.BootReply, view.TransactionId, view.ClientMac,
            view.ClientAddress, view.YourAddress, server, requested, hostName);
    }

    private static string MessageTypeName(DhcpMessageType? type) =>
        type is not { } t ? "BOOTP" : EnumNames<DhcpMessageType>.TryGet(t, out string name) ? name : t.ToString();

    private static bool LooksLikeDns(ReadOnlySpan<byte> payload) =>
        payload.Length >= DnsHeader.Size
        && DnsMessage.TryRead(payload, out var message, out int used)
        && used == payload.Length && message.Questions.Count == 1 && message.OpCode == DnsOpCode.Query;

    /// <param name="declaredLength">The message length the UDP header declares (tcpdump prints it even when the capture cut the message); 0 for TCP.</param>
    private void DecodeDns(DecodedFrame frame, int offset, ReadOnlySpan<byte> payload, bool overTcp, int declaredLength)
    {
        var layer = frame.AddLayer("dns", "Domain Name System", offset, payload.Length);
        var message = payload;
        if (overTcp)
        {
            // RFC 1035 4.2.2: a two-byte length precedes each message on TCP.
            if (!DnsTcpFraming.TryReadFrame(payload, out message, out _))
            {
                layer.MarkBroken(LayerStatus.Truncated, "DNS message continues in a later segment");
                _summary.Append("[|domain]");
                return;
            }
        }
        int length = overTcp || declaredLength < message.Length ? message.Length : declaredLength;
        bool showsMessage = _summary.Enabled || Detailed;
        if (message.Length >= DnsHeader.Size && _dnsMemo.TryGet(message[2..], out var known))
        {
            // Only the ID differs from a message seen before (RFC 1035 4.1.1: it is the first two bytes).
            frame.Dns = known with { Id = BinaryPrimitives.ReadUInt16BigEndian(message) };
            if (!showsMessage)
            {
                return;
            }
        }
        if (!DnsMessage.TryRead(message, out var dns, out _))
        {
            DecodeDnsPartially(frame, layer, message, length);
            return;
        }
        if (frame.Dns is null)
        {
            frame.Dns = FactsOf(dns);
            _dnsMemo.Add(message[2..], frame.Dns);
        }

        if (_summary.Enabled)
        {
            AppendDnsSummary(dns, length);
        }
        if (Detailed)
        {
            AddDnsFields(layer, dns);
        }
    }

    private static DnsFacts FactsOf(DnsMessage dns)
    {
        var questions = new DnsRecordFacts[dns.Questions.Count];
        for (int i = 0; i < questions.Length; i++)
        {
            questions[i] = new DnsRecordFacts(DnsName.ToFqdn(dns.Questions[i].Name), DnsMessage.TypeName(dns.Questions[i].Type), "");
        }
        var answers = new DnsRecordFacts[dns.Answers.Count];
        for (int i = 0; i < answers.Length; i++)
        {
            var answer = dns.Answers[i];
            answers[i] = new DnsRecordFacts(DnsName.ToFqdn(answer.Name), DnsMessage.TypeName(answer.Type), answer.Data.ToString() ?? "");
        }
        return new DnsFacts(dns.Id, dns.IsResponse, RcodeName(dns.ResponseCode), questions, answers);
    }

    private void AppendDnsSummary(DnsMessage dns, int length)
    {
        AppendDnsHeader(dns.Id, dns.IsResponse, dns.OpCode, dns.ResponseCode, dns.IsAuthoritative, dns.RecursionDesired,
            dns.RecursionAvailable, dns.IsTruncated, dns.AuthenticData, dns.CheckingDisabled);
        if (!dns.IsResponse)
        {
            AppendCount(dns.Answers.Count, "a");
            AppendCount(dns.Authorities.Count, "n");
            AppendCount(dns.Additionals.Count, "au");
            if (dns.Questions.Count != 1)
            {
                _summary.Append($" [{dns.Questions.Count}q]");
            }
            foreach (var q in dns.Questions)
            {
                _summary.Append($" {DnsMessage.TypeName(q.Type)}? {DnsName.ToFqdn(q.Name)}");
            }
        }
        else
        {
            if (dns.Questions.Count != 1)
            {
                _summary.Append($" [{dns.Questions.Count}q]");
            }
            _summary.Append($" {dns.Answers.Count}/{dns.Authorities.Count}/{dns.Additionals.Count}");
            for (int i = 0; i < dns.Answers.Count; i++)
            {
                _summary.Append(i == 0 ? " " : ", ").Append(AnswerText(dns.Answers[i]));
            }
        }
        _summary.Append($" ({length})");
    }

    private static void AddDnsFields(Layer layer, DnsMessage dns)
    {
        layer.Add("Transaction ID", $"0x{dns.Id:x4} ({dns.Id})");
        layer.Add("Flags", $"0x{dns.Header.Flags:x4} ({(dns.IsResponse ? "response" : "query")}, opcode {dns.OpCode}"
            + $"{(dns.IsAuthoritative ? ", authoritative" : "")}{(dns.IsTruncated ? ", truncated" : "")}"
            + $"{(dns.RecursionDesired ? ", recursion desired" : "")}{(dns.RecursionAvailable ? ", recursion available" : "")}"
            + $"{(dns.AuthenticData ? ", authentic data" : "")}{(dns.CheckingDisabled ? ", checking disabled" : "")}, rcode {RcodeName(dns.ResponseCode)})");
        layer.Add("Questions", $"{dns.Questions.Count}");
        layer.Add("Answer RRs", $"{dns.Answers.Count}");
        layer.Add("Authority RRs", $"{dns.Authorities.Count}");
        layer.Add("Additional RRs", $"{dns.Additionals.Count}");
        foreach (var q in dns.Questions)
        {
            layer.Add("Question", $"{DnsName.ToFqdn(q.Name)} {q.Class} {DnsMessage.TypeName(q.Type)}", 1);
        }
        AddRecords(layer, "Answer", dns.Answers);
        AddRecords(layer, "Authority", dns.Authorities);
        AddRecords(layer, "Additional", dns.Additionals);
    }

    /// <summary>A message the codec rejects (cut by the snap length, or a bad name or pointer): show the header
    /// and every question and answer that can still be read, as tcpdump does, and mark the layer.</summary>
    private void DecodeDnsPartially(DecodedFrame frame, Layer layer, ReadOnlySpan<byte> message, int length)
    {
        if (!DnsHeader.TryRead(message, out var header, out int offset))
        {
            Broken(frame, layer, DnsHeader.Size, $"length {message.Length} < 12");
            return;
        }
        AppendDnsHeader(header.Id, header.IsResponse, header.OpCode, header.ResponseCode, header.IsAuthoritative,
            header.RecursionDesired, header.RecursionAvailable, header.IsTruncated, header.AuthenticData, header.CheckingDisabled);
        if (Detailed)
        {
            layer.Add("Transaction ID", $"0x{header.Id:x4} ({header.Id})");
            layer.Add("Flags", $"0x{header.Flags:x4}");
            layer.Add("Counts", $"{header.QuestionCount} questions, {header.AnswerCount} answers, {header.AuthorityCount} authority, {header.AdditionalCount} additional");
        }
        if (header.IsResponse)
        {
            _summary.Append($" {header.AnswerCount}/{header.AuthorityCount}/{header.AdditionalCount}");
        }
        bool complete = true;
        for (int i = 0; i < header.QuestionCount && complete; i++)
        {
            complete = DnsQuestion.TryRead(message, offset, out var question, out int used);
            if (complete)
            {
                offset += used;
                if (!header.IsResponse)
                {
                    _summary.Append($" {DnsMessage.TypeName(question.Type)}? {DnsName.ToFqdn(question.Name)}");
                }
                if (Detailed)
                {
                    layer.Add("Question", $"{DnsName.ToFqdn(question.Name)} {question.Class} {DnsMessage.TypeName(question.Type)}", 1);
                }
            }
        }
        for (int i = 0; i < header.AnswerCount && complete; i++)
        {
            complete = DnsResourceRecord.TryRead(message, offset, out var record, out int used);
            if (complete && record is not null)
            {
                offset += used;
                _summary.Append(i == 0 ? " " : ", ").Append(_summary.Enabled ? AnswerText(record) : null);
                if (Detailed)
                {
                    layer.Add("Answer", $"{DnsName.ToFqdn(record.Name)} {record.Ttl} {record.Class} {DnsMessage.TypeName(record.Type)} {record.Data}", 1);
                }
            }
        }
        Broken(frame, layer, length + 1, "a name, pointer or record length cannot be read");
        _summary.Append($" ({length})");
    }

    private static void AddRecords(Layer layer, string section, List<DnsResourceRecord> records)
    {
        foreach (var record in records)
        {
            layer.Add(section, record.Type == DnsRecordType.OPT
                ? $"OPT udp-size {(ushort)record.Class}, ext-rcode {record.Ttl >> 24}, version {(record.Ttl >> 16) & 0xFF}, do {((record.Ttl & 0x8000) != 0 ? 1 : 0)}, {record.Data}"
                : $"{DnsName.ToFqdn(record.Name)} {record.Ttl} {record.Class} {DnsMessage.TypeName(record.Type)} {record.Data}", 1);
        }
    }

    /// <summary>tcpdump's header marks: id, opcode, rcode, then * AA, - no RA, | TC, $ AD (responses) or + RD, % CD (queries), as print-domain.c.</summary>
    private void AppendDnsHeader(ushort id, bool isResponse, DnsOpCode opCode, DnsResponseCode rcode, bool aa, bool rd, bool ra, bool tc, bool ad, bool cd)
    {
        _summary.Append($"{id}");
        if (opCode != DnsOpCode.Query)
        {
            _summary.Append(' ').Append(Enum.IsDefined(opCode) ? opCode.ToString() : $"op{(byte)opCode}");
        }
        if (isResponse)
        {
            if (rcode != DnsResponseCode.NoError)
            {
                _summary.Append(' ').Append(RcodeName(rcode));
            }
            _summary.Append(aa ? "*" : "").Append(ra ? "" : "-").Append(tc ? "|" : "").Append(ad ? "$" : "");
        }
        else
        {
            _summary.Append(rd ? "+" : "").Append(cd ? "%" : "");
        }
    }

    private void AppendCount(int count, string suffix)
    {
        if (count > 0)
        {
            _summary.Append($" [{count}{suffix}]");
        }
    }

    private static string RcodeName(DnsResponseCode rcode) => EnumNames<DnsResponseCode>.TryGet(rcode, out string name) ? name : $"Resp{(ushort)rcode}";

    /// <summary>One answer as tcpdump prints it without -v: type and data for the common types, the type alone otherwise.</summary>
    private static string AnswerText(DnsResourceRecord record) => record.Data switch
    {
        DnsAddressData or DnsNameData or DnsMxData or DnsSrvData or DnsTxtData => $"{DnsMessage.TypeName(record.Type)} {record.Data}",
        DnsRawData raw when record.Type == DnsRecordType.URI && raw.Data.Length >= 4 =>
            // RFC 7553 section 4.5: priority, weight, then the target URI to the end of RDATA.
            $"URI {BinaryPrimitives.ReadUInt16BigEndian(raw.Data)} {BinaryPrimitives.ReadUInt16BigEndian(raw.Data.AsSpan(2))} {Encoding.UTF8.GetString(raw.Data, 4, raw.Data.Length - 4)}",
        _ => DnsMessage.TypeName(record.Type),
    };

    private void DecodeFtp(DecodedFrame frame, int offset, ReadOnlySpan<byte> payload, bool fromClient)
    {
        var layer = frame.AddLayer("ftp", "File Transfer Protocol", offset, payload.Length);
        var lines = frame.StartFtpLines();
        var text = _summary.Enabled ? new StringBuilder() : null;
        bool describes = text is not null || Detailed;
        // The memo serves only when nothing describes the lines: a description needs the parsed line itself.
        var memo = describes ? null : fromClient ? _ftpCommandMemo : _ftpReplyMemo;
        int start = 0;
        while (start < payload.Length)
        {
            int newline = payload[start..].IndexOf((byte)'\n');
            var line = newline < 0 ? payload[start..] : payload.Slice(start, newline + 1);
            start += line.Length;
            if (memo is not null && memo.TryGet(line, out var known))
            {
                lines.Add(known);
            }
            else if (fromClient && FtpCommandLine.TryParse(line, out var command))
            {
                // RFC 959 PASS carries the password in clear; it is never shown or stored (nor remembered by the memo).
                string argument = command.Verb == "PASS" ? "****" : command.Argument;
                var facts = new FtpFacts(true, command.Verb, argument, 0, "");
                if (command.Verb == "PASS")
                {
                    // Mask everything after "PASS " up to the line end in --hex output too.
                    int secretStart = offset + start - line.Length + 5;
                    (frame.SensitiveRanges ??= []).Add((secretStart, Math.Max(0, line.Length - 5)));
                }
                else
                {
                    memo?.Add(line, facts);
                }
                lines.Add(facts);
                if (describes)
                {
                    DescribeFtpCommand(layer, text, command.Verb, argument);
                }
            }
            else if (!fromClient && FtpReplyLine.TryParse(line, out var reply))
            {
                var facts = new FtpFacts(false, "", "", reply.Code, reply.Text);
                memo?.Add(line, facts);
                lines.Add(facts);
                if (describes)
                {
                    DescribeFtpReply(layer, text, reply);
                }
            }
            else if (Detailed)
            {
                layer.Add(fromClient ? "Unparsed request line" : "Continuation", Encoding.UTF8.GetString(line).TrimEnd('\r', '\n'), 1);
            }
        }
        _summary.Append(": FTP: ").Append(text is { Length: > 0 } ? text.ToString() : "(continuation)");
    }

    private void DescribeFtpCommand(Layer layer, StringBuilder? text, string verb, string argument)
    {
        text?.Append(text.Length == 0 ? "" : " | ").Append(verb).Append(argument.Length > 0 ? " " + argument : "");
        if (Detailed)
        {
            layer.Add("Request command", verb);
            if (argument.Length > 0)
            {
                layer.Add("Request argument", argument, 1);
            }
        }
    }

    private void DescribeFtpReply(Layer layer, StringBuilder? text, FtpReplyLine reply)
    {
        text?.Append(text.Length == 0 ? "" : " | ").Append(CultureInfo.InvariantCulture, $"{reply.Code:D3}{(reply.IsLast ? ' ' : '-')}{reply.Text}");
        if (Detailed)
        {
            layer.Add("Response code", $"{reply.Code}");
            layer.Add("Response text", reply.Text, 1);
        }
    }
}
