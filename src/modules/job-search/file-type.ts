/**
 * What an uploaded CV really is, read from its first bytes. The browser's
 * content type is never asked, and an extension alone never decides: a
 * renamed web page or picture is refused whatever it is called.
 */

export const MAX_CV_BYTES = 2 * 1024 * 1024;

export const CV_TOO_LARGE = 'The CV must be smaller than 2 MB';
export const CV_WRONG_TYPE = 'The CV must be a PDF, Word document, OpenDocument text or plain text file';

export interface SniffedType {
  contentType: string;
  description: string;
}

const PDF = Buffer.from('%PDF-', 'latin1');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
// An OpenDocument file must start with an uncompressed "mimetype" entry naming its type.
const ODT_MIMETYPE = Buffer.from('mimetypeapplication/vnd.oasis.opendocument.text', 'latin1');
// Every Word document has entries under word/; their names are stored uncompressed in the zip headers.
const DOCX_ENTRY = Buffer.from('word/', 'latin1');

const extensionOf = (fileName: string) => /\.([a-z0-9]{1,8})$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';

function isUtf8Text(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** The CV's real type, or null when it is none of those we keep. */
export function sniffCv(fileName: string, content: Buffer): SniffedType | null {
  const extension = extensionOf(fileName);
  if (content.subarray(0, PDF.length).equals(PDF)) return { contentType: 'application/pdf', description: 'PDF' };
  if (content.subarray(0, ZIP.length).equals(ZIP)) {
    if (extension === 'docx' && content.includes(DOCX_ENTRY)) {
      return { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', description: 'Word document' };
    }
    if (extension === 'odt' && content.subarray(0, 200).includes(ODT_MIMETYPE)) {
      return { contentType: 'application/vnd.oasis.opendocument.text', description: 'OpenDocument text' };
    }
    return null;
  }
  // The same container holds spreadsheets and installers, so the name must say Word too.
  if (content.subarray(0, OLE2.length).equals(OLE2)) {
    return extension === 'doc' ? { contentType: 'application/msword', description: 'Word document' } : null;
  }
  if (extension === 'txt' && isUtf8Text(content)) return { contentType: 'text/plain; charset=utf-8', description: 'Plain text' };
  return null;
}

/** The name to keep and offer on download: no folders, no control characters or quotes, not too long. */
export function cleanFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(-120);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'cv';
}

/** Content-Disposition for a download: an ASCII fallback name and the exact name in RFC 5987 form. */
export function attachmentDisposition(fileName: string): string {
  const name = cleanFileName(fileName);
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
