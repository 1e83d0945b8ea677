import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attachmentDisposition, cleanFileName, sniffCv } from './file-type.ts';

const zip = (...entries: string[]) =>
  Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), ...entries.map((entry) => Buffer.from(`${entry}\u0001\u0002`, 'latin1'))]);
const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);

describe('sniffing an uploaded CV', () => {
  test('PDF by its %PDF- header, whatever the name', () => {
    assert.equal(sniffCv('cv.pdf', Buffer.from('%PDF-1.7\n...'))?.contentType, 'application/pdf');
    assert.equal(sniffCv('cv', Buffer.from('%PDF-1.4\n'))?.contentType, 'application/pdf');
  });

  test('DOCX is a zip named .docx with word/ entries; ODT a zip named .odt with its mimetype first', () => {
    assert.match(sniffCv('cv.docx', zip('[Content_Types].xml', 'word/document.xml'))?.contentType ?? '', /wordprocessingml/);
    assert.equal(sniffCv('cv.docx', zip('[Content_Types].xml', 'xl/workbook.xml')), null, 'a spreadsheet renamed .docx');
    assert.equal(sniffCv('cv.zip', zip('word/document.xml')), null, 'a zip not named .docx');
    assert.equal(sniffCv('cv.odt', zip('mimetypeapplication/vnd.oasis.opendocument.text'))?.contentType, 'application/vnd.oasis.opendocument.text');
    assert.equal(sniffCv('cv.odt', zip('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')), null);
  });

  test('legacy Word by the OLE2 signature, only when named .doc', () => {
    assert.equal(sniffCv('cv.DOC', ole2)?.contentType, 'application/msword');
    assert.equal(sniffCv('setup.msi', ole2), null);
  });

  test('plain text must be named .txt, valid UTF-8 and free of NUL bytes', () => {
    assert.equal(sniffCv('cv.txt', Buffer.from('Jo Bloggs — forklift driver\n'))?.contentType, 'text/plain; charset=utf-8');
    assert.equal(sniffCv('cv.txt', Buffer.from([0x41, 0x00, 0x42])), null);
    assert.equal(sniffCv('cv.txt', Buffer.from([0xc3, 0x28])), null, 'invalid UTF-8');
    assert.equal(sniffCv('cv.md', Buffer.from('text')), null);
  });

  test('pictures and web pages are refused, whatever they are called', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    assert.equal(sniffCv('cv.pdf', png), null);
    assert.equal(sniffCv('cv.pdf', Buffer.from('<!doctype html><script>alert(1)</script>')), null);
    assert.equal(sniffCv('cv.docx', Buffer.from('<html></html>')), null);
  });
});

describe('file names on download', () => {
  test('folders, control characters and quotes are dropped; the exact name travels encoded', () => {
    assert.equal(cleanFileName('C:\\Users\\jo\\my "cv".pdf'), 'my cv.pdf');
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('\u0000'), 'cv');
    assert.equal(attachmentDisposition('Zoë’s CV.pdf'), `attachment; filename="Zo__s CV.pdf"; filename*=UTF-8''Zo%C3%AB%E2%80%99s%20CV.pdf`);
    assert.doesNotMatch(attachmentDisposition('a\r\nSet-Cookie: x.pdf'), /[\r\n]/);
  });
});
