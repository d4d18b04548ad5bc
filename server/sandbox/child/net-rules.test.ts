import { describe, expect, test } from 'vitest';
import { allowedBy, isLocalAddress, namesAddress } from './net-rules.ts';

describe('which connections permissions.network allows', () => {
  test('a host with or without a port, a wildcard for subdomains only, nothing else', () => {
    const grant = ['api.example.com', '*.data.example.org:443', '10.0.0.5'];
    expect(allowedBy(grant, 'api.example.com', 8443)).toBe('api.example.com');
    expect(allowedBy(grant, 'API.Example.com.', 443)).toBe('api.example.com');
    expect(allowedBy(grant, 'eu.data.example.org', 443)).toBe('*.data.example.org:443');
    expect(allowedBy(grant, 'eu.data.example.org', 80)).toBeUndefined();
    expect(allowedBy(grant, 'data.example.org', 443)).toBeUndefined();
    expect(allowedBy(grant, 'evil-data.example.org', 443)).toBeUndefined();
    expect(allowedBy(grant, 'api.example.com.evil.test', 443)).toBeUndefined();
    expect(allowedBy(grant, '10.0.0.5', 5432)).toBe('10.0.0.5');
    expect(allowedBy(grant, '127.0.0.1', 80)).toBeUndefined();
    expect(allowedBy([], 'api.example.com', 443)).toBeUndefined();
    expect(allowedBy(null, 'anything.test', 1)).toBe(true);
  });

  test('names must not resolve to this machine or link-local unless the entry names the address', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.8.8',
      '::1',
      '0.0.0.0',
      '169.254.169.254',
      '::ffff:127.0.0.1',
      'fe80::1',
    ])
      expect(isLocalAddress(address), address).toBe(true);
    for (const address of ['10.0.0.5', '93.184.216.34', '2606:4700::1111']) expect(isLocalAddress(address)).toBe(false);
    expect(namesAddress('localhost:8080')).toBe(true);
    expect(namesAddress('127.0.0.1')).toBe(true);
    expect(namesAddress('api.example.com')).toBe(false);
  });
});
