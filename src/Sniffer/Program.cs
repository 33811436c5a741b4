// Placeholder until the sniffer host lands.
return 0;
