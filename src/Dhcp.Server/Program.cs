// Placeholder until the dhcp-server host lands.
return 0;
