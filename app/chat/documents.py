"""Documents in the chat: the text of a PDF, DOCX, ODT or plain-text file, extracted on the server.

Design choices:
- The file arrives as the raw request body (not multipart), is read into memory up to a
  size limit and dropped after extraction: it is never written to disk, the database or
  a log (python-multipart would spool larger uploads to a temporary file).
- Only the text goes back to the browser, which puts it into the input field. From there
  it is a prompt like any typed one: it passes the guard, is shown in "what was sent" and
  only its pseudonymised form is stored. The server does not send it anywhere by itself.
- Extraction uses well-kept libraries (pypdf, python-docx, odfpy) in a worker thread;
  ZIP-based formats are checked for their unpacked size first (no decompression bombs).
- Every failure is a 400/413 with a message a person can act on (encrypted, scanned,
  unknown type, too large); the log gets the kind and size, never the name or content.
"""
from __future__ import annotations

import io
import logging
import zipfile
from urllib.parse import unquote

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.accounts.auth import verify_csrf
from app.deps import CurrentUser
from app.errors import AppError

log = logging.getLogger("spielraum.documents")
router = APIRouter(include_in_schema=False)

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
KINDS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".txt": "text", ".md": "text", ".csv": "text"}


class DocumentError(AppError):
    status_code = 400
    code = "document_unreadable"
    message_de = ("Die Datei konnte nicht gelesen werden. Bitte prüfen Sie, ob sie beschädigt ist, "
                  "oder fügen Sie den Text direkt ein.")
    message_en = "The file could not be read. Please check whether it is damaged, or paste the text directly."


def _error(code: str, de: str, en: str, status: int = 400) -> DocumentError:
    return DocumentError(de, en, code=code, status_code=status)


TOO_LARGE = ("document_too_large",
             f"Die Datei ist zu groß (höchstens {MAX_BYTES // (1024 * 1024)} MB). Bitte laden Sie einen Auszug hoch.",
             f"The file is too large (at most {MAX_BYTES // (1024 * 1024)} MB). Please upload an excerpt.")
UNKNOWN_TYPE = ("document_type",
                "Diese Dateiart wird nicht unterstützt. Möglich sind PDF, DOCX, ODT und Textdateien (.txt, .md).",
                "This kind of file is not supported. Possible are PDF, DOCX, ODT and text files (.txt, .md).")
ENCRYPTED = ("document_encrypted",
             "Die Datei ist mit einem Passwort geschützt. Bitte heben Sie den Schutz auf oder fügen Sie den Text direkt ein.",
             "The file is password-protected. Please remove the protection or paste the text directly.")
NO_TEXT = ("document_no_text",
           "In der Datei ist kein Text zu finden. Eingescannte Seiten sind Bilder; eine Texterkennung (OCR) "
           "bietet Spielraum nicht an. Bitte nutzen Sie eine Fassung mit Text.",
           "No text was found in the file. Scanned pages are images, and Spielraum offers no text recognition "
           "(OCR). Please use a version that contains text.")
OLD_WORD = ("document_type",
            "Dies ist eine ältere Word-Datei (.doc) oder eine verschlüsselte DOCX-Datei. Bitte speichern Sie sie "
            "als DOCX ohne Passwort oder als PDF.",
            "This is an older Word file (.doc) or an encrypted DOCX file. Please save it as DOCX without a "
            "password or as PDF.")


def kind_of(filename: str, head: bytes) -> str:
    """The document kind from the name, checked against the file's first bytes."""
    name = filename.lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    kind = KINDS.get(suffix)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .doc, or an encrypted Office file
        raise _error(*OLD_WORD)
    if kind == "pdf" and not head.lstrip().startswith(b"%PDF"):
        raise _error(*UNKNOWN_TYPE)
    if kind in ("docx", "odt") and not head.startswith(b"PK"):
        raise _error(*UNKNOWN_TYPE)
    if kind is None:
        raise _error(*UNKNOWN_TYPE)
    return kind


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _error(*ENCRYPTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise _error(*ENCRYPTED) from None
        raise DocumentError() from None
    return "\n\n".join(page.strip() for page in pages if page.strip())


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError() from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise _error(*TOO_LARGE, status=413)
    return archive


def _docx_text(data: bytes) -> str:
    import docx

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a damaged file
        raise DocumentError() from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines).strip()


def _odt_text(data: bytes) -> str:
    from odf import teletype
    from odf.opendocument import load

    archive = _check_zip(data)
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        manifest = b""
    if b"encryption-data" in manifest:
        raise _error(*ENCRYPTED)
    try:
        document = load(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - odfpy raises many kinds for a damaged file
        raise DocumentError() from None
    # Headings and paragraphs in the document's own order, also inside lists and tables.
    ordered = [teletype.extractText(node) for node in _walk(document.text) if node.qname[1] in ("h", "p")]
    return "\n".join(ordered).strip()


def _walk(node):
    for child in node.childNodes:
        if getattr(child, "qname", None) is None:
            continue
        yield child
        if child.qname[1] not in ("h", "p"):
            yield from _walk(child)


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").strip()
        except UnicodeDecodeError:
            continue
    raise DocumentError()


EXTRACTORS = {"pdf": _pdf_text, "docx": _docx_text, "odt": _odt_text, "text": _plain_text}


def extract_text(filename: str, data: bytes) -> str:
    """The document's text, or a DocumentError saying why there is none."""
    if len(data) > MAX_BYTES:
        raise _error(*TOO_LARGE, status=413)
    if not data:
        raise _error(*NO_TEXT)
    kind = kind_of(filename, data[:8])
    text = EXTRACTORS[kind](data)
    text = "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines())
    if len("".join(text.split())) < 3:
        raise _error(*NO_TEXT)
    return text


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise _error(*TOO_LARGE, status=413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise _error(*TOO_LARGE, status=413)
        chunks.append(chunk)
    return b"".join(chunks)


DOCUMENT_PATH = "/chat/document"


@router.post(DOCUMENT_PATH)
async def upload_document(request: Request, user: CurrentUser) -> JSONResponse:
    """Body: the file's bytes; header X-Filename: its URL-encoded name. Answer: {filename, text, chars}."""
    verify_csrf(request, request.headers.get("x-csrf-token", ""))
    filename = unquote(request.headers.get("x-filename", ""))[:255].replace("\n", " ").strip() or "dokument.txt"
    data = await _read_body(request)
    try:
        text = await anyio.to_thread.run_sync(extract_text, filename, data)
    except DocumentError as exc:
        log.info("document.refused", extra={"user_id": user.id, "code": exc.code, "bytes": len(data)})
        raise
    finally:
        del data  # the original is never kept
    log.info("document.extracted", extra={"user_id": user.id, "chars": len(text)})
    return JSONResponse({"filename": filename, "text": text, "chars": len(text)})
