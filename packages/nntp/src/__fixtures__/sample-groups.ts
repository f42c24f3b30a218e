import type { TestGroupInput } from '../testing/index.ts'

/** sampleGroups: misc.test with three articles (an encoded, folded Subject; a body with dot lines), and an empty group. */
export function sampleGroups(): TestGroupInput[] {
  return [
    {
      name: 'misc.test',
      description: 'For testing.',
      articles: [
        { subject: 'hello world', from: 'Dave <dave@example.org>', messageId: '<first@example.org>', body: 'Hello.\r\n.a line that starts with a dot\r\n' },
        'From: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.org>\r\nNewsgroups: misc.test\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n and more\r\nDate: Sun, 29 Nov 2026 21:09:41 +0000\r\nMessage-ID: <second@example.org>\r\n\r\nSecond body.\r\n',
        { subject: 'Re: hello world', from: 'Eve <eve@example.org>', messageId: '<third@example.org>', references: '<first@example.org>', body: 'Third.\r\n' },
      ],
    },
    { name: 'local.empty', description: 'An empty group.' },
  ]
}
