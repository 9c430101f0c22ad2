import { DOMParser } from 'linkedom';

/**
 * XML parts of containers (ODT's content.xml, manifests, metadata) read with their
 * namespaces. linkedom parses XML safely (entities and CDATA decoded, no DTD entity
 * expansion, no network) but keeps element names as written, prefix included: it reports
 * `text:p` with the XHTML namespace, so `text:p` and `t:p` bound to the same URI would
 * differ. Here each name is resolved through the `xmlns` declarations in scope and compared
 * in Clark notation (`{urn:…:text:1.0}p`), so a producer's choice of prefixes does not matter.
 */

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;

/** The parts of a linkedom node read here (linkedom types them as `any`). */
export interface XmlNode {
  readonly nodeType: number;
  /** The qualified name of an element, as written (`text:p`). */
  readonly nodeName: string;
  readonly nodeValue: string | null;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
  readonly attributes?: ArrayLike<{ readonly name: string; readonly value: string }>;
}

/** Prefix → namespace URI in force at an element ('' for the default namespace). */
export type NamespaceScope = ReadonlyMap<string, string>;

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const ROOT_SCOPE: NamespaceScope = new Map([['xml', XML_NAMESPACE]]);

/** An element with its expanded name and the namespaces in force inside it. */
export interface NamedElement {
  node: XmlNode;
  /** `{namespace-uri}local-name` (just `local-name` when in no namespace). */
  name: string;
  scope: NamespaceScope;
}

/** `{uri}local`: how element and attribute names are compared. */
export function expandedName(namespace: string, local: string): string {
  return `{${namespace}}${local}`;
}

/** Parses an XML text; throws when there is no root element at all. */
export function parseXml(text: string, label: string): NamedElement {
  const document = new DOMParser().parseFromString(text, 'text/xml') as unknown as { documentElement: XmlNode | null };
  const root = document.documentElement;
  if (!root) throw new Error(`xml: ${label} holds no XML element`);
  return nameElement(root, ROOT_SCOPE);
}

/** The element children of an element, each named in its own scope. */
export function* childElements(parent: NamedElement): Generator<NamedElement> {
  for (let node = parent.node.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) yield nameElement(node, parent.scope);
  }
}

/** Every descendant element named `name`, in document order (not looking inside matches). */
export function* findElements(parent: NamedElement, name: string): Generator<NamedElement> {
  for (const child of childElements(parent)) {
    if (child.name === name) yield child;
    else yield* findElements(child, name);
  }
}

/** The first descendant element named `name`, or null. */
export function findElement(parent: NamedElement, name: string): NamedElement | null {
  for (const found of findElements(parent, name)) return found;
  return null;
}

/** An attribute's value by expanded name (an unprefixed attribute is in no namespace), or null. */
export function attributeOf(element: NamedElement, namespace: string, local: string): string | null {
  const attributes = element.node.attributes;
  if (!attributes) return null;
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i]!;
    const colon = attribute.name.indexOf(':');
    if (colon === -1) {
      if (namespace === '' && attribute.name === local) return attribute.value;
    } else if (attribute.name.slice(colon + 1) === local && element.scope.get(attribute.name.slice(0, colon)) === namespace) {
      return attribute.value;
    }
  }
  return null;
}

/** The text of an element and its descendants (entities already decoded by the parser). */
export function textOf(element: NamedElement): string {
  let text = '';
  const visit = (node: XmlNode): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += child.nodeValue ?? '';
      else if (child.nodeType === ELEMENT_NODE) visit(child);
    }
  };
  visit(element.node);
  return text;
}

/** An element node named in the scope of its parent (`outer`). */
export function nameElement(node: XmlNode, outer: NamespaceScope): NamedElement {
  const scope = enterScope(node, outer);
  const qualified = node.nodeName;
  const colon = qualified.indexOf(':');
  const prefix = colon === -1 ? '' : qualified.slice(0, colon);
  const local = colon === -1 ? qualified : qualified.slice(colon + 1);
  const namespace = scope.get(prefix);
  return { node, name: namespace === undefined || namespace === '' ? local : expandedName(namespace, local), scope };
}

/** The scope inside an element: the outer one plus the element's own `xmlns` declarations. */
function enterScope(node: XmlNode, outer: NamespaceScope): NamespaceScope {
  const attributes = node.attributes;
  if (!attributes) return outer;
  let scope: Map<string, string> | null = null;
  for (let i = 0; i < attributes.length; i++) {
    const { name, value } = attributes[i]!;
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= new Map(outer);
    scope.set(name === 'xmlns' ? '' : name.slice(6), value);
  }
  return scope ?? outer;
}
